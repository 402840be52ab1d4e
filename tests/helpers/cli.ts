import { expect } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

/** The date tests run "on", so price-age warnings do not change with the calendar (the day the price presets were read). */
export const TEST_TODAY = '2026-11-28';

/** Runs the CLI in-process; returns exit code and captured streams. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ env: { NO_COLOR: '1', ...env }, today: TEST_TODAY });
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

/** Runs the CLI with --format json and parses stdout. */
export async function cliJson<T = Record<string, unknown>>(args: string[]): Promise<{ code: number; json: T; err: string }> {
  const { code, out, err } = await cli([...args, '--format', 'json']);
  return { code, json: JSON.parse(out) as T, err };
}

/** `gpucost estimate … --format json`, which must succeed (exit 0, schemaVersion 3): its one estimate, typed as the caller reads it. */
export async function estimateJson<T>(args: string[]): Promise<T> {
  const r = await cliJson<{ schemaVersion: number; estimates: T[] }>(['estimate', ...args]);
  expect(r.code, r.err).toBe(0);
  expect(r.json.schemaVersion).toBe(3);
  return r.json.estimates[0] as T;
}

export const within = (actual: number, expected: number): number => Math.abs(actual / expected - 1);
