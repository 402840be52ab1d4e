import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EstimateInput, estimateTraining } from '../../src/core/estimate.js';
import { FLOPS_CONVENTIONS } from '../../src/core/enums.js';
import { formatQuantity, parseQuantity } from '../../src/core/quantity.js';
import { TEXT_FORMATS } from '../../src/cli/common-options.js';
import { computeEstimate } from '../../src/resolve/compute.js';
import { compareRows } from '../../src/resolve/compare.js';
import { describeScaling, type EstimateRequest, resolveEstimate } from '../../src/resolve/estimate.js';
import { MAX_LIST_ITEMS, parseCountList, parseFraction, parsePositiveInt, parseScaling } from '../../src/core/parse.js';
import { compareReport } from '../../src/report/compare.js';
import { estimateReport } from '../../src/report/estimate.js';
import { render } from '../../src/report/index.js';
import { registry } from '../helpers/presets.js';
import { GpucostError } from '../../src/errors.js';

const input = fc.record({
  params: fc.double({ min: 1e6, max: 1e13, noNaN: true }),
  tokens: fc.double({ min: 1e6, max: 1e14, noNaN: true }),
  gpus: fc.integer({ min: 1, max: 100_000 }),
  flopsPerSecondPerGpu: fc.double({ min: 1e12, max: 5e15, noNaN: true }),
  usdPerGpuHour: fc.double({ min: 0.01, max: 100, noNaN: true }),
  convention: fc.constantFrom(...FLOPS_CONVENTIONS.filter((c) => c === '6nd' || c === '8nd')),
});
const est = (i: Omit<EstimateInput, 'scalingEfficiency'>) => estimateTraining({ ...i, scalingEfficiency: 1 });

describe('invariants under linear scaling', () => {
  it('time × GPUs is constant and cost does not depend on the GPU count', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 100_000 }), (i, other) => {
        const a = est(i);
        const b = est({ ...i, gpus: other });
        expect((a.wallClockSeconds * i.gpus) / (b.wallClockSeconds * other)).toBeCloseTo(1, 9);
        expect((a.costUsd ?? 0) / (b.costUsd ?? 1)).toBeCloseTo(1, 9);
      }),
    );
  });

  it('time rises with parameters and with tokens', () => {
    fc.assert(
      fc.property(input, fc.double({ min: 1.001, max: 100, noNaN: true }), (i, k) => {
        const base = est(i).wallClockSeconds;
        expect(est({ ...i, params: i.params * k }).wallClockSeconds).toBeGreaterThan(base);
        expect(est({ ...i, tokens: i.tokens * k }).wallClockSeconds).toBeGreaterThan(base);
      }),
    );
  });

  it('every result is finite and positive', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = est(i);
        for (const v of [r.trainingFlops, r.wallClockSeconds, r.gpuHours, r.gpuYears, r.costUsd ?? 1]) {
          expect(Number.isFinite(v) && v > 0).toBe(true);
        }
      }),
    );
  });
});

describe('quantity parsing round-trips with formatting', () => {
  it('parse(format(x)) is x to 4 significant digits', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e20, noNaN: true }), (x) => {
        const parsed = parseQuantity(formatQuantity(x, 4));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(Math.abs(parsed.value / x - 1)).toBeLessThan(5e-4);
      }),
    );
  });
});

// --- Added with the start-up and hardening work (issue 8) ---------------------------------------

/** Requests across models, GPUs, scenarios and extreme but accepted values (tiny throughput, huge prices). */
const request: fc.Arbitrary<EstimateRequest> = fc.record(
  {
    model: fc.constantFrom('gpt3-175b', 'llama2-70b', 'gpt3-13b', 'llama3-8b', 'deepseek-v3'),
    params: fc.double({ min: 1, max: 1e16, noNaN: true }),
    gpu: fc.constantFrom('h100', 'a100', 'v100', 'b200', 'mi300x', 'tpu-v5p', 'gaudi3'),
    gpus: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    tokens: fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }),
    tflops: fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }),
    mfu: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
    price: fc.double({ min: 0, max: 1e300, noNaN: true }),
    flops: fc.constantFrom('6nd' as const, '8nd' as const),
    scaling: fc.constantFrom(
      { kind: 'linear' as const },
      { kind: 'efficiency' as const, perDoubling: 0.9, baseGpus: 8 },
      { kind: 'efficiency' as const, perDoubling: 1e-9, baseGpus: 1 },
    ),
    scenario: fc.constantFrom('A2', 'A6', 'none'),
  },
  { requiredKeys: [] },
);

function resolvedOrNothing(req: EstimateRequest) {
  try {
    return computeEstimate(resolveEstimate(req, registry));
  } catch (e) {
    // A request the resolver refuses (a GPU without that precision, a missing model) has no output
    // to check; anything else thrown is a bug.
    if (e instanceof GpucostError) return undefined;
    throw e;
  }
}

describe('outputs of any estimate', () => {
  it('JSON never contains NaN or Infinity, and always parses', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const e = resolvedOrNothing(req);
        if (!e) return;
        const text = await render(estimateReport(e), 'json', { color: false });
        // Outside string literals (a cluster is called "… Infinity Fabric").
        expect(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/NaN|Infinity/);
        expect(() => JSON.parse(text)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('every text renderer accepts every estimate and every comparison', async () => {
    await fc.assert(
      fc.asyncProperty(request, fc.array(fc.integer({ min: 1, max: 1e9 }), { minLength: 1, maxLength: 5 }), async (req, counts) => {
        const e = resolvedOrNothing(req);
        if (!e) return;
        const { gpu, gpus: _gpus, ...rest } = req;
        let rows;
        try {
          rows = compareRows({ ...rest, gpuList: gpu ? [gpu] : undefined, gpusList: counts }, registry);
        } catch (e) {
          if (!(e instanceof GpucostError)) throw e;
          rows = undefined;
        }
        for (const format of TEXT_FORMATS) {
          expect((await render(estimateReport(e), format, { color: true, width: 80 })).length).toBeGreaterThan(0);
          if (rows) expect((await render(compareReport(rows, { plot: true }), format, { color: false, width: 60 })).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('the parsers of src/core/parse.ts round-trip with formatting', () => {
  it('fractions: written as a decimal or a percentage', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1, noNaN: true }), (x) => {
        expect(parseFraction(String(x))).toEqual({ ok: true, value: x });
        const pct = parseFraction(`${x * 100}%`);
        expect(pct.ok).toBe(true);
        if (pct.ok) expect(pct.value).toBeCloseTo(x, 12);
      }),
    );
  });

  it('positive whole numbers, plain and with the suffix formatQuantity picks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parsePositiveInt(String(n))).toEqual({ ok: true, value: n });
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.constantFrom(['k', 1e3], ['M', 1e6], ['B', 1e9], ['T', 1e12]), (n, [suffix, size]) => {
        expect(parsePositiveInt(`${n}${suffix}`)).toEqual({ ok: true, value: n * (size as number) });
        expect(parsePositiveInt(formatQuantity(n * (size as number)))).toEqual({ ok: true, value: n * (size as number) });
      }),
    );
  });

  it('count lists: a list written out parses to it, sorted and without duplicates', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1e9 }), { minLength: 1, maxLength: 50 }), (list) => {
        expect(parseCountList(list.join(','))).toEqual({ ok: true, value: [...new Set(list)].sort((a, b) => a - b) });
      }),
    );
  });

  it('count ranges: a..b+s is the arithmetic sequence, a..b*k the rounded geometric one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 1e5 }), (a, span, s) => {
        const expected: number[] = [];
        for (let n = a; n <= a + span; n += s) expected.push(n);
        expect(parseCountList(`${a}..${a + span}+${s}`)).toEqual({ ok: true, value: expected });
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e4 }), fc.integer({ min: 2, max: 10 }), fc.integer({ min: 0, max: 8 }), (a, k, powers) => {
        const b = a * k ** powers;
        const r = parseCountList(`${a}..${b}*${k}`);
        expect(r).toEqual({ ok: true, value: Array.from({ length: powers + 1 }, (_, i) => a * k ** i) });
      }),
    );
  });

  it('count ranges never run away: too many counts or steps is an error, not a hang', () => {
    expect(parseCountList(`1..${MAX_LIST_ITEMS + 10}+1`).ok).toBe(false);
    expect(parseCountList('1..1000*1.000000000000001').ok).toBe(false);
    expect(parseCountList('1..10*1').ok).toBe(false);
  });

  it('scaling models: parse(describeScaling(s)) is s', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant({ kind: 'linear' as const }),
          fc.constant({ kind: 'model' as const }),
          fc.record({ kind: fc.constant('efficiency' as const), perDoubling: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }), baseGpus: fc.integer({ min: 1, max: 1e6 }) }),
        ),
        (s) => {
          expect(parseScaling(describeScaling(s))).toEqual({ ok: true, value: s });
        },
      ),
    );
  });
});
