/** Loading user preset directories (--presets DIR, GPUCOST_PRESETS) on top of the bundled ones. */
import { problemText } from '../errors.js';
import type { Registry } from '../presets/catalog.js';
import { loadPresetDir } from '../presets/load-dir.js';
import type { Io } from './io.js';

export function loadUserPresets(base: Registry, dirs: string[], io: Io): Registry {
  let registry = base;
  for (const dir of dirs) {
    const { catalog, warnings } = loadPresetDir(dir, registry.catalog);
    // Tagged as errors are ("gpucost: error[E_PRESET_INVALID] file:…"), so scripts can pick a code.
    for (const w of warnings) io.stderr(`gpucost: warning${w.code ? `[${w.code}]` : ':'} ${problemText(w)}\n`);
    registry = registry.withOverrides(catalog);
  }
  return registry;
}
