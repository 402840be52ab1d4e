/**
 * The error taxonomy. Anything thrown that is not a GpucostError is an internal error (a bug).
 * Exit codes: 0 ok, 1 a requested check failed, 2 could not run.
 */
import type { WarningCode } from './core/warnings.js';

export const EXIT = { OK: 0, CHECK_FAILED: 1, ERROR: 2 } as const;

export type ErrorCode = 'E_USAGE' | 'E_BAD_NUMBER' | 'E_UNKNOWN_PRESET' | 'E_PRESET_INVALID' | 'E_FILE' | 'E_INPUT' | 'E_NO_DEVICE';

/**
 * Why an error was raised, for code that handles one kind of failure itself rather than reporting
 * it: `plan` treats a GPU count whose interruptions outpace its progress as one that cannot finish.
 */
export type ErrorReason = 'interruptions-outpace-progress' | 'no-layout';

/** A problem with what the user gave us: printed as one line with a hint, exit 2, no stack. */
export class GpucostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = 'GpucostError';
  }
}

export interface PresetProblem {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the field, or "" for the document. */
  field: string;
  message: string;
  severity: 'error' | 'warning';
  /** A warning's code (docs/warnings.md). */
  code?: WarningCode;
}

/** One or more problems in preset or run files, each with file:line:col. */
export class PresetError extends GpucostError {
  constructor(readonly problems: PresetProblem[]) {
    super('E_PRESET_INVALID', problems.map(formatProblem).join('\n'));
    this.name = 'PresetError';
  }
}

export function formatProblem(p: PresetProblem): string {
  const tag = p.severity === 'warning' ? ` (warning${p.code ? `[${p.code}]` : ''})` : '';
  return `${problemText(p)}${tag}`;
}

/** "file:line:col field: message", for lines that say the severity themselves. */
export function problemText(p: PresetProblem): string {
  const field = p.field ? ` ${p.field}:` : '';
  return `${p.file}:${p.line}:${p.col}${field} ${p.message}`;
}

/** What the system's file error codes mean, for messages that name them (Linux errno descriptions). */
const FILE_ERROR_MEANINGS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** A failed file operation's reason for a message: its code and what the code means ("ENOENT (no such file or directory)"). */
export function fileErrorText(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return String(e);
  const meaning = Object.hasOwn(FILE_ERROR_MEANINGS, code) ? FILE_ERROR_MEANINGS[code] : undefined;
  return meaning ? `${code} (${meaning})` : code;
}
