/**
 * Reading preset and run files: YAML → JavaScript → zod schema → semantic rules, with every problem
 * reported as file:line:col. This module loads `yaml` and `zod`; the CLI imports it lazily.
 */
import { CST, type Document, isCollection, isMap, isPair, isScalar, Lexer, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { GpucostError, PresetError, type PresetProblem, printable } from '../errors.js';
import { readBoundedFile } from './read-file.js';
import { lineColOf } from './source-position.js';
import { checkPreset, type RuleIssue } from './rules.js';
import { closest } from './suggest.js';
import { PRESET_KINDS, type PresetKind } from './schema.js';

/** Largest file we read; real presets are a few kB. */
export const MAX_FILE_BYTES = 1_000_000;
/** YAML aliases allowed per document: blocks "billion laughs" expansion. */
export const MAX_YAML_ALIASES = 50;
/**
 * Keys, values and collections a file may hold, counted before the full parse so that a huge one
 * costs a scan, not a parse: the largest bundled preset (a throughput table) has about 13,400.
 */
export const MAX_YAML_NODES = 50_000;
/** Levels of maps and lists: presets nest five at most; yaml's composer recurses once per level. */
export const MAX_YAML_DEPTH = 64;
/** Problems listed per file; the rest are counted, so a file of thousands of bad keys stays one screen. */
const MAX_PROBLEMS_LISTED = 20;

export interface LoadedFile<T> {
  value: T;
  warnings: PresetProblem[];
}

/** Reads a file as text with clear errors for missing, unreadable, directory, huge or binary files. */
export function readTextFile(file: string): string {
  const text = readBoundedFile(file, file, MAX_FILE_BYTES).toString('utf8');
  if (text.includes('\u0000')) throw new GpucostError('E_FILE', `${file} is a binary file, not YAML`);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Parses YAML text and validates it against `schema`, then runs `check` on the result.
 * Throws PresetError listing every error; returns warnings with the value.
 */
export function parseYaml<S extends z.ZodType>(text: string, file: string, schema: S, check?: (value: z.output<S>) => RuleIssue[]): LoadedFile<z.output<S>> {
  const lineCounter = new LineCounter();
  const at = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);
  const limitAt = checkSizeAndFlowDepth(text);
  if (limitAt) throw new PresetError([{ file, ...lineColOf(text, limitAt.offset), field: '', message: limitAt.message, severity: 'error' }]);
  // yaml's uniqueKeys compares each key with every key before it: quadratic, minutes for 80,000 keys.
  // checkStructure finds duplicates with a Set instead.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.2' });
  const problems = new Problems();

  for (const err of [...doc.errors, ...doc.warnings]) {
    const message = err.code === 'RESOURCE_EXHAUSTION' ? tooDeep() : printable(err.message.split('\n')[0] ?? err.message);
    problems.push({ file, ...at(err.pos[0]), field: '', message, severity: 'error' });
  }
  if (problems.length === 0) {
    for (const { offset, message } of checkStructure(doc)) problems.push({ file, ...at(offset), field: '', message, severity: 'error' });
  }
  if (problems.length > 0) throw problems.error(file);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    throw new PresetError([{ file, line: 1, col: 1, field: '', message: (e as Error).message, severity: 'error' }]);
  }
  if (data === null || data === undefined) {
    throw new PresetError([{ file, line: 1, col: 1, field: '', message: 'the file is empty', severity: 'error' }]);
  }

  const parsed = schema.safeParse(data);
  if (!parsed.success) throw schemaProblems(parsed.error.issues, schema, doc, file, at).error(file);

  const warnings: PresetProblem[] = [];
  for (const issue of check?.(parsed.data) ?? []) {
    const problem: PresetProblem = { file, ...at(offsetOf(doc, issue.path)), field: issue.path.join('.'), message: issue.message, severity: issue.severity };
    if (issue.severity === 'warning') problem.code = issue.code;
    (issue.severity === 'error' ? problems : warnings).push(problem);
  }
  if (problems.length > 0) throw problems.error(file);
  return { value: parsed.data, warnings };
}

/** Each schema issue as a problem at the line and column of the field it names. */
function schemaProblems(
  issues: z.core.$ZodIssue[],
  schema: z.ZodType,
  doc: Document,
  file: string,
  at: (offset: number) => { line: number; col: number },
): Problems {
  const problems = new Problems();
  for (const issue of issues) {
    const base = issue.path as (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      const known = fieldNamesAt(schema, base);
      for (const key of issue.keys) {
        // Placing a problem searches its map: past the listed ones, count them without placing them.
        if (problems.full()) {
          problems.skip();
          continue;
        }
        const near = closest(key, known, 1);
        const hint = near.length > 0 ? ` (did you mean "${near[0]}"?)` : known.length > 0 ? ` (known: ${known.join(', ')})` : '';
        problems.push({
          file,
          ...at(offsetOf(doc, [...base, key], true)),
          field: [...base, key].join('.'),
          message: `unknown field "${printable(key)}"${hint}`,
          severity: 'error',
        });
      }
      continue;
    }
    if (problems.full()) {
      problems.skip();
      continue;
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const where = missing ? offsetOf(doc, base.slice(0, -1)) : offsetOf(doc, base);
    // In a union, a branch that accepted the type but rejected the value says more than the union.
    const branch = issue.code === 'invalid_union' ? issue.errors.flat().find((i) => i.code === 'custom') : undefined;
    const message = missing ? `required field is missing (${issue.message.replace(/, received undefined$/, '')})` : (branch?.message ?? issue.message);
    problems.push({ file, ...at(where), field: base.join('.'), message, severity: 'error' });
  }
  return problems;
}

/** Loads one preset file of a known kind. */
export function loadPresetFile<K extends PresetKind>(file: string, kind: K): LoadedFile<z.output<(typeof PRESET_KINDS)[K]>> {
  const text = readTextFile(file);
  return parseYaml(text, file, PRESET_KINDS[kind], (v) => checkPreset(kind, v)) as LoadedFile<z.output<(typeof PRESET_KINDS)[K]>>;
}

/**
 * Source offset of the deepest node along `path`: the value's start, or with `atKey` the last key's
 * start (for unknown fields). Stops at the deepest node that exists.
 */
function offsetOf(doc: Document, path: (string | number)[], atKey = false): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [i, key] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return offset;
      offset = rangeStart(pair.key) ?? offset;
      if (atKey && i === path.length - 1) return offset;
      node = pair.value;
      offset = rangeStart(node) ?? offset;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      const item = (node as { items: unknown[] }).items[Number(key)];
      if (item === undefined) return offset;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

/** Field names the schema allows at `path` (for "did you mean"); empty when it cannot tell. */
function fieldNamesAt(schema: z.ZodType, path: (string | number)[]): string[] {
  let node: unknown = schema;
  const unwrap = (n: unknown): unknown => {
    let cur = n as { def?: { type?: string; innerType?: unknown; in?: unknown; options?: unknown[] } };
    for (let i = 0; i < 10 && cur?.def; i++) {
      const { type } = cur.def;
      if (type === 'optional' || type === 'default' || type === 'nullable' || type === 'prefault') cur = cur.def.innerType as typeof cur;
      else if (type === 'pipe') cur = cur.def.in as typeof cur;
      else break;
    }
    return cur;
  };
  for (const key of path) {
    const n = unwrap(node) as { def?: { type?: string; element?: unknown }; shape?: Record<string, unknown> };
    if (n.def?.type === 'array') node = n.def.element;
    else if (n.shape) node = n.shape[String(key)];
    else return [];
  }
  const n = unwrap(node) as { shape?: Record<string, unknown> };
  return n.shape ? Object.keys(n.shape) : [];
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** A file's problems, the first MAX_PROBLEMS_LISTED of them kept, the rest counted. */
class Problems {
  private readonly kept: PresetProblem[] = [];
  private skipped = 0;

  get length(): number {
    return this.kept.length + this.skipped;
  }

  full(): boolean {
    return this.kept.length >= MAX_PROBLEMS_LISTED;
  }

  push(problem: PresetProblem): void {
    if (this.full()) this.skipped += 1;
    else this.kept.push(problem);
  }

  skip(): void {
    this.skipped += 1;
  }

  error(file: string): PresetError {
    const last = this.kept[this.kept.length - 1];
    const more: PresetProblem[] =
      this.skipped > 0
        ? [{ file, line: last?.line ?? 1, col: last?.col ?? 1, field: '', message: `and ${this.skipped} more problems`, severity: 'error' }]
        : [];
    return new PresetError([...this.kept, ...more]);
  }
}

function tooDeep(): string {
  return `nested more than ${MAX_YAML_DEPTH} levels deep`;
}

/**
 * One pass of yaml's lexer, far cheaper than the parse: the first place where the file holds more
 * than MAX_YAML_NODES nodes or nests flow collections ([ ], { }) more than MAX_YAML_DEPTH deep.
 * Node-starting tokens are scalars, flow collections, block list items, explicit keys and aliases.
 */
function checkSizeAndFlowDepth(text: string): { offset: number; message: string } | undefined {
  let offset = 0;
  let nodes = 0;
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer's markers are not in the source; every other token is, in order.
    if (token === CST.SCALAR || token === CST.DOCUMENT || token === CST.FLOW_END) {
      if (token === CST.SCALAR) nodes += 1;
    } else {
      const c = token[0];
      if (c === '[' || c === '{') depth += 1;
      else if (c === ']' || c === '}') depth -= 1;
      if (c === '[' || c === '{' || c === '*' || (token.length === 1 && (c === '-' || c === '?'))) nodes += 1;
      if (depth > MAX_YAML_DEPTH) return { offset, message: tooDeep() };
      offset += token.length;
    }
    if (nodes > MAX_YAML_NODES) return { offset, message: `the file has more than ${MAX_YAML_NODES} keys and values; presets and run files need far fewer` };
  }
  return undefined;
}

/**
 * Duplicate keys (by the JavaScript key each becomes) and nesting deeper than MAX_YAML_DEPTH, in one
 * walk without recursion, each at its source offset.
 */
function checkStructure(doc: Document): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, depth } = top;
    if (!isCollection(node)) continue;
    if (depth >= MAX_YAML_DEPTH) {
      found.push({ offset: rangeStart(node) ?? 0, message: tooDeep() });
      return found;
    }
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          if (seen.has(key)) found.push({ offset: rangeStart(pair.key) ?? 0, message: `duplicate key "${printable(key)}"` });
          seen.add(key);
        } else {
          stack.push({ node: pair.key, depth: depth + 1 });
        }
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else {
      for (const item of node.items) stack.push({ node: isPair(item) ? item.value : item, depth: depth + 1 });
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}
