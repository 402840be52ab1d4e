// Functions a reader can follow top-down: none in src/ runs past MAX_LINES unless the list below
// says why. Measured with the TypeScript parser, so strings and comments that look like code do
// not confuse it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 60;

/** Longer functions that may stay so for now, as "file:function" → the reason. */
const ALLOWED: Record<string, string> = {};

const src = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** What a reader would call the function: its own name, else the variable or property it is assigned to. */
function nameOf(fn: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (fn.name) return fn.name.getText(source);
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) {
    return parent.name.getText(source);
  }
  return `(anonymous, line ${source.getLineAndCharacterOfPosition(fn.getStart(source)).line + 1})`;
}

/** Every function with a body longer than `limit` lines, signature to closing brace, nested ones included. */
function longFunctions(file: string, text: string, limit = MAX_LINES): { name: string; lines: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const fn = node as ts.FunctionLikeDeclaration;
      const first = source.getLineAndCharacterOfPosition(fn.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(fn.getEnd()).line;
      if (last - first + 1 > limit) found.push({ name: nameOf(fn, source), lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const long = files(src).flatMap((file) =>
  longFunctions(file, readFileSync(file, 'utf8')).map(({ name, lines }) => ({ key: `${relative(src, file).replaceAll('\\', '/')}:${name}`, lines })),
);

describe(`functions in src/ are at most ${MAX_LINES} lines`, () => {
  it('every longer one is allowed, with a reason', () => {
    const unexplained = long.filter(({ key }) => !ALLOWED[key]).map(({ key, lines }) => `${key} (${lines} lines)`);
    expect(unexplained, 'split these into named steps, or add them to ALLOWED with a reason').toEqual([]);
    for (const reason of Object.values(ALLOWED)) expect(reason.trim()).not.toBe('');
  });

  it('every allowed one is still long (an entry outliving its reason hides the next long function)', () => {
    const stale = Object.keys(ALLOWED).filter((key) => !long.some((l) => l.key === key));
    expect(stale, 'remove these from ALLOWED').toEqual([]);
  });

  it('the measure counts from the signature to the closing brace, arrow functions and methods included', () => {
    const body = (n: number): string => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');
    // 2 lines of signature and brace around the body.
    const text = [
      `function fits() {\n${body(MAX_LINES - 2)}\n}`,
      `function tooLong() {\n${body(MAX_LINES - 1)}\n}`,
      `const arrow = () => {\n${body(MAX_LINES - 1)}\n};`,
      `class C {\n  method() {\n${body(MAX_LINES - 1)}\n  }\n}`,
      `const o = { prop: function () {\n${body(MAX_LINES - 1)}\n} };`,
    ].join('\n');
    expect(longFunctions('sample.ts', text)).toEqual([
      { name: 'tooLong', lines: MAX_LINES + 1 },
      { name: 'arrow', lines: MAX_LINES + 1 },
      { name: 'method', lines: MAX_LINES + 1 },
      { name: 'prop', lines: MAX_LINES + 1 },
    ]);
  });
});
