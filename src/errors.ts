/**
 * The error taxonomy. Anything thrown that is not a GpucostError is an internal error (a bug).
 * Exit codes: 0 ok, 1 a requested check failed, 2 could not run.
 */

export const EXIT = { OK: 0, CHECK_FAILED: 1, ERROR: 2 } as const;

export type ErrorCode =
  | 'E_USAGE'
  | 'E_BAD_NUMBER'
  | 'E_UNKNOWN_PRESET'
  | 'E_PRESET_INVALID'
  | 'E_FILE'
  | 'E_INPUT'
  | 'E_NO_DEVICE';

/** A problem with what the user gave us: printed as one line with a hint, exit 2, no stack. */
export class GpucostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
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
}

/** One or more problems in preset or run files, each with file:line:col. */
export class PresetError extends GpucostError {
  constructor(readonly problems: PresetProblem[]) {
    super('E_PRESET_INVALID', problems.map(formatProblem).join('\n'));
    this.name = 'PresetError';
  }
}

export function formatProblem(p: PresetProblem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  const field = p.field ? ` ${p.field}:` : '';
  const tag = p.severity === 'warning' ? ' (warning)' : '';
  return `${where}${field} ${p.message}${tag}`;
}
