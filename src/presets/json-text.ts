/**
 * JSON from a user's file, parsed only after a scan of our own has found it well-formed and nested
 * no deeper than MAX_JSON_DEPTH. The scan gives the position of the first error: V8's SyntaxError
 * quotes the text around it instead, which would print a file's contents (a token, a key) on the
 * terminal. The scan keeps no recursion and no stack of values, so no depth can overflow it.
 */
import { GpucostError, printable } from '../errors.js';
import { lineColOf } from './source-position.js';

/** Levels of objects and arrays: a Hugging Face config nests three or four. */
export const MAX_JSON_DEPTH = 64;

/** The parsed value of `text`, with errors that name `shown` and a position, never the content. */
export function parseJsonText(text: string, shown: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const problem = scanJson(body);
  if (problem) {
    const { line, col } = lineColOf(body, problem.offset);
    const what = problem.tooDeep ? `JSON nested more than ${MAX_JSON_DEPTH} levels deep` : 'not valid JSON';
    const end = problem.atEnd ? ' (the file ends early)' : '';
    throw new GpucostError('E_INPUT', `${printable(shown)}: ${what} at line ${line}, column ${col}${end}`, 'expected a Hugging Face config.json');
  }
  try {
    return JSON.parse(body);
  } catch {
    // The scan accepts only what JSON.parse accepts; should they ever disagree, still quote nothing.
    throw new GpucostError('E_INPUT', `${printable(shown)}: not valid JSON`, 'expected a Hugging Face config.json');
  }
}

interface ScanProblem {
  offset: number;
  atEnd?: boolean;
  tooDeep?: boolean;
}

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'nothing';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** The first offset where `text` stops being JSON (RFC 8259), or where it nests too deep; undefined when it is valid. */
function scanJson(text: string): ScanProblem | undefined {
  // Only whether each open container is an object or an array matters: a string of '{' and '['.
  let open = '';
  let want: Expect = 'value';
  let i = 0;
  const afterValue = (): Expect => (open === '' ? 'nothing' : 'comma-or-close');
  const close = (c: string): boolean => {
    if (open.endsWith(c === '}' ? '{' : '[')) {
      open = open.slice(0, -1);
      i += 1;
      want = afterValue();
      return true;
    }
    return false;
  };
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i += 1;
    if (i >= text.length) return want === 'nothing' ? undefined : { offset: i, atEnd: true };
    const c = text[i] as string;
    if (want === 'nothing') return { offset: i };
    if (want === 'colon') {
      if (c !== ':') return { offset: i };
      i += 1;
      want = 'value';
    } else if (want === 'comma-or-close') {
      if (c === ',') {
        i += 1;
        want = open.endsWith('{') ? 'key' : 'value';
      } else if (!((c === '}' || c === ']') && close(c))) {
        return { offset: i };
      }
    } else if (want === 'key' || want === 'key-or-close') {
      if (want === 'key-or-close' && c === '}' && close(c)) continue;
      if (c !== '"') return { offset: i };
      const end = stringEnd(text, i);
      if (end.problem) return end.problem;
      i = end.offset;
      want = 'colon';
    } else {
      if (want === 'value-or-close' && c === ']' && close(c)) continue;
      if (c === '{' || c === '[') {
        if (open.length >= MAX_JSON_DEPTH) return { offset: i, tooDeep: true };
        open += c;
        i += 1;
        want = c === '{' ? 'key-or-close' : 'value-or-close';
        continue;
      }
      const end = scalarEnd(text, i);
      if (end.problem) return end.problem;
      i = end.offset;
      want = afterValue();
    }
  }
}

/** The offset just past the string, number, true, false or null at `start`, or where it goes wrong. */
function scalarEnd(text: string, start: number): { offset: number; problem?: ScanProblem } {
  if (text[start] === '"') return stringEnd(text, start);
  const literal = LITERALS.find((l) => text.startsWith(l, start));
  if (literal) return { offset: start + literal.length };
  NUMBER.lastIndex = start;
  const number = NUMBER.exec(text);
  return number ? { offset: start + number[0].length } : { offset: start, problem: { offset: start } };
}

/** The offset just past the string that opens at `start`, or where it goes wrong. */
function stringEnd(text: string, start: number): { offset: number; problem?: ScanProblem } {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) return { offset: i, problem: { offset: i, atEnd: true } };
    const code = text.charCodeAt(i);
    if (code === 0x22) return { offset: i + 1 };
    if (code < 0x20) return { offset: i, problem: { offset: i } };
    if (code === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, problem: { offset: i } };
        i += 6;
      } else if (e !== undefined && ESCAPES.has(e)) {
        i += 2;
      } else {
        return { offset: i, problem: e === undefined ? { offset: i + 1, atEnd: true } : { offset: i } };
      }
    } else {
      i += 1;
    }
  }
}
