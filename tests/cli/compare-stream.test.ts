// `compare --format csv` streams its rows (src/cli/compare-stream.ts); the bytes must be those of
// the CSV renderer on the full report, and a failure midway must leave no file behind.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAX_IN_MEMORY_ROWS } from '../../src/cli/compare-stream.js';
import { Context } from '../../src/cli/context.js';
import { memoryIo } from '../../src/cli/io.js';
import { compareRows, type CompareRequest } from '../../src/resolve/compare.js';
import { compareReport } from '../../src/report/compare.js';
import { estimateReport } from '../../src/report/estimate.js';
import { computeEstimate } from '../../src/resolve/compute.js';
import { resolveEstimate } from '../../src/resolve/estimate.js';
import { renderCsv } from '../../src/report/render/csv.js';
import { parseCountList } from '../../src/core/parse.js';
import { cli } from '../helpers/cli.js';
import { registry } from '../helpers/presets.js';

const root = join(import.meta.dirname, '..', '..');
const execFileAsync = promisify(execFile);

const counts = (text: string): number[] => {
  const r = parseCountList(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe('streamed CSV of compare', () => {
  const cases: [string[], CompareRequest][] = [
    // 600 rows, about 210,000 characters: several of the 64 KiB chunks the stream writes.
    [['--gpu', 'h100', '--gpus', '1..600+1'], { gpuList: ['h100'], gpusList: counts('1..600+1') }],
    [['--gpu', 'a100,h100,a100-80gb', '--gpus', '8..4096'], { gpuList: ['a100', 'h100', 'a100-80gb'], gpusList: counts('8..4096') }],
    [
      ['--model', 'llama2-70b', '--gpus', '64,8,512', '--price', '2.5', '--scaling', 'efficiency:0.9'],
      { model: 'llama2-70b', gpusList: counts('64,8,512'), price: 2.5, scaling: { kind: 'efficiency', perDoubling: 0.9, baseGpus: 8 } },
    ],
    [['--params', '7B', '--gpu', 'v100'], { params: 7e9, gpuList: ['v100'] }],
  ];

  it.each(cases)("%j is the renderer's CSV of the full report", async (args, req) => {
    const { code, out } = await cli(['compare', ...args, '--format', 'csv']);
    expect(code).toBe(0);
    expect(out).toBe(renderCsv(compareReport(compareRows(req, registry), { plot: false })));
  });

  it('errors in the request come before any output', async () => {
    const { code, out, err } = await cli(['compare', '--gpu', 'h100,nope', '--gpus', '1..10', '--format', 'csv']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/unknown GPU "nope"/);
  });
});

describe('--output written in chunks', () => {
  it('a failure midway leaves neither the file nor a temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-chunks-'));
    const ctx = new Context(memoryIo({ cwd: dir }));
    await expect(
      ctx.emitChunks({ output: 'out.csv' }, (write) => {
        write('a,b\r\n');
        write('1,2\r\n');
        throw new Error('render failed');
      }),
    ).rejects.toThrow('render failed');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a report whose rendering fails writes neither the file nor a temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-render-'));
    writeFileSync(join(dir, 'keep.svg'), 'old');
    const ctx = new Context(memoryIo({ cwd: dir }));
    const report = estimateReport(computeEstimate(resolveEstimate({}, registry)));
    // The SVG renderer throws on a report without charts: after the output was asked for, before any byte.
    await expect(ctx.emit(report, { format: 'svg', output: 'keep.svg' })).rejects.toThrow(/draws no chart/);
    await expect(ctx.emit(report, { format: 'svg', output: 'new.svg' })).rejects.toThrow(/draws no chart/);
    expect(readdirSync(dir)).toEqual(['keep.svg']);
    expect(readFileSync(join(dir, 'keep.svg'), 'utf8')).toBe('old');
  });

  it('a finished stream replaces the file at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpucost-chunks-'));
    // 400 rows, about 140,000 characters: written in several chunks.
    const { code } = await cli(['compare', '--gpu', 'h100', '--gpus', '1..400+1', '--format', 'csv', '--output', join(dir, 'c.csv')]);
    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual(['c.csv']);
    const text = readFileSync(join(dir, 'c.csv'), 'utf8');
    expect(text.length).toBeGreaterThan(2 * 65_536);
    expect(text.split('\r\n').length).toBe(402);
  });
});

describe('large comparisons in the full report', () => {
  it('a warning shared by many rows names a few and counts the rest', () => {
    // GPT-3 Small's global batch is 256 sequences and TP × PP is at most 4 × 12: every count here warns.
    const report = compareReport(compareRows({ model: 'gpt3-125m', gpuList: ['h100'], gpusList: counts('20000..21000+10') }, registry), { plot: false });
    const batch = report.warnings.find((w) => w.code === 'BATCH_BELOW_DP');
    expect(batch?.rows).toHaveLength(101);
    expect(batch?.message).toMatch(
      /^20000 × h100-sxm, 20010 × h100-sxm, .*, … 21000 × h100-sxm \(101 rows\): more GPUs than the global batch of 256 sequences/,
    );
  });

  it('assumptions and JSON agree with the rows, and the shared assumptions leave out what differs', () => {
    const rows = compareRows({ gpuList: ['h100'], gpusList: [8, 16] }, registry);
    const report = compareReport(rows, { plot: false });
    const json = report.json as { estimates: { gpus: number; assumptions: unknown[] }[] };
    expect(json.estimates.map((e) => e.gpus)).toEqual([8, 16]);
    expect(json.estimates[0]?.assumptions.length).toBeGreaterThan(5);
    expect(report.assumptions.map((a) => a.name)).not.toContain('GPUs');
  });
});

describe('comparisons too large for a format (found by fuzzing: 200,000 rows overflowed the stack)', () => {
  it('are refused up front for formats held in memory, with the way out', async () => {
    const { code, out, err } = await cli(['compare', '--gpus', '1..30000+1', '--format', 'json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/30000 configurations are more than --format json takes \(20000\); use --format csv/);
  });

  it('count a fine-tune comparison by its default GPU list too (10 cards × 2,001 counts)', async () => {
    const args = ['compare', '--model', 'llama3-8b', '--finetune', 'lora', '--examples', '1k', '--avg-len', '512', '--gpus', '1..2001+1'];
    const { code, out, err } = await cli([...args, '--format', 'json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^gpucost: error\[E_INPUT\]: 20010 configurations are more than --format json takes/);
  });

  // The built binary in a 16 MB heap: the same rows held in memory do not fit there (`--max-cost`, a
  // gate, needs every row at once; under this limit it runs out of memory, checked with 100,000 rows
  // by scripts/fuzz.mjs, which also streams those). So this also shows the stream holds no rows.
  it(`stream as CSV whatever their size: ${MAX_IN_MEMORY_ROWS + 1} rows from the built CLI in a 16 MB heap, every count in order`, async () => {
    const n = MAX_IN_MEMORY_ROWS + 1;
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--max-old-space-size=16', join(root, 'bin', 'gpucost.js'), 'compare', '--gpu', 'h100', '--gpus', `1..${n}+1`, '--format', 'csv'],
      { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(stderr).toBe('');
    const lines = stdout.split('\r\n');
    expect(lines).toHaveLength(n + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[0]).toMatch(/^model,gpu,gpus,/);
    expect(lines.at(-1)).toBe('');
    expect(lines[1]).toMatch(/^gpt3-175b,h100-sxm,1,/);
    expect(lines[n]).toMatch(new RegExp(`^gpt3-175b,h100-sxm,${n},`));
    const gpus = lines.slice(1, -1).map((l) => Number(l.split(',', 3)[2]));
    expect(gpus.every((g, i) => g === i + 1)).toBe(true);
  });
});
