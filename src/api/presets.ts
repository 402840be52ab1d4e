/** `loadPresets`: the bundled presets, with preset directories of the caller's on top. */
import type { PresetProblem } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import { builtinRegistry } from '../presets/builtin.js';

export interface LoadPresetsOptions {
  /**
   * Directories of YAML presets (same layout as the bundled presets/ folder), applied in order: a
   * preset replaces a bundled or earlier one with the same id.
   */
  dirs?: string[];
  /** Called with each preset warning (its code, file, line, column and message); by default warnings are ignored. */
  onWarning?: (problem: PresetProblem) => void;
}

/**
 * The presets that estimate, compare and plan resolve ids against. With no directories it returns the
 * bundled presets without reading any file; with some, each file is validated and a bad one throws a
 * PresetError naming its file, line and column.
 */
export async function loadPresets(options: LoadPresetsOptions = {}): Promise<Registry> {
  let registry = builtinRegistry();
  const dirs = options.dirs ?? [];
  if (dirs.length === 0) return registry;
  // The YAML parser and the schemas load only when a user file is read.
  const { loadPresetDir } = await import('../presets/load-dir.js');
  for (const dir of dirs) {
    const { catalog, warnings } = loadPresetDir(dir, registry.catalog);
    for (const w of warnings) options.onWarning?.(w);
    registry = registry.withOverrides(catalog);
  }
  return registry;
}
