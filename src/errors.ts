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
  ELOOP: 'too many symbolic links, or a loop of them',
};

/** A failed file operation's reason for a message: its code and what the code means ("ENOENT (no such file or directory)"). */
export function fileErrorText(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return String(e);
  const meaning = Object.hasOwn(FILE_ERROR_MEANINGS, code) ? FILE_ERROR_MEANINGS[code] : undefined;
  return meaning ? `${code} (${meaning})` : code;
}

/**
 * Text from a user's file or command line made safe to print: control characters (C0, DEL, C1) and
 * the bidirectional overrides that can reorder a line (Boucher and Anderson 2021, "Trojan Source",
 * https://trojansource.codes/) are written as \u escapes, so a file name or a key cannot move the
 * cursor, recolour the terminal or disguise what the message says. `keepLineBreaks` leaves newline
 * and tab as they are, for text of several lines (report/safe-text.ts).
 */
export function printable(text: string, keepLineBreaks = false): string {
  return text.replace(keepLineBreaks ? UNPRINTABLE_BUT_LINE_BREAKS : UNPRINTABLE, unicodeEscape);
}

/** A character as a JSON-style \u escape: "\u001b". */
export function unicodeEscape(c: string): string {
  return `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`;
}

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNPRINTABLE_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
