// The links between the figures of one answer (issue 22), checked on random requests. Used by
// scripts/sweep-invariants.mjs (the full sweep) and tests/invariants.test.ts (a sample in npm test).
//
// Every figure of an estimate comes from one throughput, so for each estimate and compare row:
//   wall clock = steps × stepSeconds ÷ goodput, steps = tokens ÷ (global batch × seqLen)
//   GPU-hours = wall clock × GPUs; cost = GPU-hours × price (rented or flat price)
//   energy = GPU-hours × average power × PUE; CO2e = energy × grid intensity
//   TFLOP/s per GPU × GPUs × scaling efficiency × wall clock × goodput = training FLOPs
//   low ≤ value ≤ high for time, cost and throughput
// and a compare row is the estimate of the same inputs.
import { random } from './fuzz-lib.mjs';

export { random };

const MODELS = ['gpt3-175b', 'gpt3-13b', 'llama3-8b', 'llama3-70b', 'llama2-7b', 'mixtral-8x7b', 'qwen3-30b-a3b', 'deepseek-v3', 'gpt2-124m', 'bloom-176b'];
const GPUS = ['a100', 'h100', 'h200', 'b200', 'v100', 'mi300x', 'l40s', 'h800'];
const COUNTS = [1, 8, 16, 64, 256, 512, 1024, 2048, 4096];
const TOKENS = [1e9, 1e11, 3e11, 1e12, 2e12, 15e12];

/** The date every check runs "on", so price ages do not change with the calendar (as tests/helpers/cli.ts). */
const TODAY = '2026-11-28';

/** Hugging Face config.json fixtures (tests/fixtures/hf) a request may name as its model. */
const CONFIGS = ['llama2-7b', 'mistral-7b', 'qwen3-8b', 'qwen2.5-7b', 'gpt2', 'qwen3-30b-a3b', 'deepseek-v3', 'gpt-oss-20b', 'falcon-40b'];

/**
 * A random request for estimate() and compare() (library names of the CLI's flags): a model preset,
 * a Hugging Face config.json (paths under `root`), or an architecture given by flags; any GPU, count,
 * precision, throughput mode, price (flat, provider, owned), reliability and MFU.
 */
export function randomRequest(r, root) {
  const req = { gpu: r.pick(GPUS), gpus: r.pick(COUNTS), tokens: r.pick(TOKENS) };
  const source = r.pick(['preset', 'preset', 'preset', 'config', 'flags']);
  if (source === 'preset' || root === undefined) req.model = r.pick(MODELS);
  else if (source === 'config') req.model = `${root}/tests/fixtures/hf/${r.pick(CONFIGS)}/config.json`;
  else {
    req.dModel = r.pick([1024, 2048, 4096, 8192]);
    Object.assign(req, { layers: r.pick([12, 24, 32, 48]), heads: req.dModel / 128, seqLen: r.pick([1024, 2048, 4096, 8192]), vocab: r.pick([32000, 128256]) });
  }
  if (r.chance(0.35)) req.perf = 'model';
  if (r.chance(0.2)) req.precision = 'fp8';
  if (r.chance(0.35)) req.price = r.pick([0.5, 2, 2.5, 6.88]);
  else if (r.chance(0.3)) req.provider = r.pick(['aws', 'coreweave', 'lambda', 'nebius']);
  else if (r.chance(0.2)) req.owned = true;
  if (r.chance(0.2)) req.reliability = true;
  if (r.chance(0.1)) req.mfu = r.pick([0.2, 0.35, 0.5]);
  // A rate measured on the user's own trial, which replaces every modelled one (so no --mfu or --perf).
  if (r.chance(0.1)) {
    delete req.mfu;
    delete req.perf;
    req.tokensPerSec = r.pick([500, 3000, 20_000]);
  }
  if (r.chance(0.15)) {
    req.finetune = r.pick(['full', 'lora', 'qlora']);
    if (req.finetune !== 'full' && r.chance(0.5)) req.loraRank = r.pick([8, 16, 64]);
    if (req.finetune === 'qlora' && r.chance(0.3)) req.bnbLegacy = true;
    if (req.finetune === 'qlora' && r.chance(0.3)) req.peftPrepare = r.chance(0.5);
    if (r.chance(0.5)) {
      delete req.tokens;
      Object.assign(req, { examples: r.pick([1000, 50_000]), avgLen: r.pick([256, 512, 2048]), epochs: r.pick([1, 3]) });
      // Packed into, or padded to, longer sequences.
      if (r.chance(0.4)) Object.assign(req, { seqLen: 4096, ...(r.chance(0.5) ? { padded: true } : {}) });
    }
  }
  if (r.chance(0.1)) req.loss = 'fused';
  // A recomputation the user fixes, per-op included (refused for mixtures of experts and MLA).
  if (r.chance(0.1)) req.recompute = r.pick(['none', 'selective', 'op', 'full']);
  return req;
}

/** The CLI flags of a random request (its keys in kebab case; true is a bare flag). */
export function argvOf(req) {
  return Object.entries(req).flatMap(([k, v]) => {
    const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return v === true ? [flag] : [flag, String(v)];
  });
}

/** CSV columns (header text) that carry a JSON field as it is. */
const CSV_FIELDS = {
  'wall-clock (s)': 'wallClockSeconds',
  'GPU-hours (GPU-h)': 'gpuHours',
  'cost (USD)': 'costUsd',
  'throughput per GPU (TFLOP/s)': 'tflopsPerGpu',
  'MFU (fraction)': 'mfu',
  'training FLOPs (FLOP)': 'trainingFlops',
  'energy (kWh)': 'energyKwh',
};

/**
 * Through the built CLI's run(argv, io): the CSV carries the JSON's numbers, the table and the
 * Markdown show the JSON's wall clock, and a --max-days gate exits 1 exactly when it is over the limit.
 */
export async function checkCli(run, req, cwd) {
  const call = async (extra) => {
    let out = '';
    let err = '';
    const io = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: { NO_COLOR: '1' }, isTTY: false, cwd, today: TODAY };
    const code = await run(['estimate', ...argvOf(req), ...extra], io);
    return { code, out, err };
  };
  const json = await call(['--format', 'json']);
  if (json.code === 2) return { ran: false, problems: [] };
  const problems = [];
  const [e] = JSON.parse(json.out).estimates;
  const csv = await call(['--format', 'csv']);
  const [header, row] = csv.out.split('\r\n');
  const cells = parseCsvLine(row ?? '');
  header.split(',').forEach((name, i) => {
    const key = CSV_FIELDS[name];
    if (key === undefined) return;
    const want = e[key];
    const got = cells[i] === '' ? null : Number(cells[i]);
    if (!(got === want || (typeof want === 'number' && close(got, want)))) problems.push(`CSV ${name} ${cells[i]} ≠ JSON ${key} ${want}`);
  });
  const table = await call([]);
  const days = e.wallClockDays;
  // The table's wall clock, to its three digits: in days (also beside months), or in 365-day years.
  const three = (v) => Number(v.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  const shown = [`${three(days)} days`, `${three(days / 365)} years`];
  if (days >= 2 && !shown.some((t) => table.out.includes(t))) problems.push(`the table does not show the JSON's wall clock (${shown.join(' or ')})`);
  const markdown = await call(['--format', 'markdown']);
  if (days >= 2 && !shown.some((t) => markdown.out.includes(t))) problems.push(`the Markdown does not show the JSON's wall clock (${shown.join(' or ')})`);
  // --brief says NOT FEASIBLE exactly when an error-level check fires, and --fail-if-infeasible exits 1 then.
  const infeasible = e.warnings.some((w) => w.severity === 'error');
  const brief = await call(['--brief']);
  if (brief.out.includes('NOT FEASIBLE') !== infeasible) problems.push(`--brief ${infeasible ? 'misses' : 'adds'} NOT FEASIBLE`);
  const gate = await call(['--format', 'json', '--fail-if-infeasible']);
  if (gate.code !== (infeasible ? 1 : 0)) problems.push(`--fail-if-infeasible exits ${gate.code} with${infeasible ? '' : 'out'} an error-level check`);
  for (const factor of [0.5, 2]) {
    const limit = Number((days * factor).toPrecision(6));
    const gated = await call(['--format', 'json', '--max-days', String(limit)]);
    const over = days > limit;
    if (gated.code !== (over ? 1 : 0)) problems.push(`--max-days ${limit} with ${days} days exits ${gated.code}, not ${over ? 1 : 0}`);
  }
  return { ran: true, problems };
}

/** One CSV record (RFC 4180 quotes) split into fields. */
function parseCsvLine(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(field), (field = '');
    else field += c;
  }
  out.push(field);
  return out;
}

const close = (a, b, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);

/** The broken links of one estimate record (the JSON's), as lines; empty when it tells one story. */
export function violations(e) {
  const out = [];
  const check = (ok, what) => ok || out.push(what);
  const wall = e.wallClockSeconds;
  if (e.steps !== null && e.stepSeconds !== null) {
    check(close(wall, (e.steps * e.stepSeconds) / e.goodput), `wall clock ${wall} ≠ steps × stepSeconds ÷ goodput ${(e.steps * e.stepSeconds) / e.goodput}`);
    const batch = e.plan?.globalBatch;
    if (batch) check(close(e.steps, e.tokens / (batch * e.seqLen)), `steps ${e.steps} ≠ tokens ÷ (batch × seqLen)`);
  }
  check(e.goodput > 0 && e.goodput <= 1 + 1e-12, `goodput ${e.goodput} outside (0, 1]`);
  check(close(e.tokensPerSecondPerGpu * e.gpus * wall * e.goodput, e.tokens), `tokens/s per GPU × GPUs × wall clock × goodput ≠ tokens ${e.tokens}`);
  if (e.reliability) check(close(e.goodput, e.reliability.goodput), `goodput ${e.goodput} ≠ reliability.goodput ${e.reliability.goodput}`);
  check(close(e.gpuHours, (wall * e.gpus) / 3600), `GPU-hours ${e.gpuHours} ≠ wall clock × GPUs`);
  // Rented, flat and owned prices alike: owned hardware's price is its capital and energy per GPU-hour.
  if (e.costUsd !== null) check(close(e.costUsd, e.gpuHours * e.pricePerGpuHourUsd), `cost ${e.costUsd} ≠ GPU-hours × price ${e.pricePerGpuHourUsd}`);
  if (e.energyKwh !== null && e.averagePowerWattsPerGpu !== null) {
    check(close(e.energyKwh, (e.gpuHours * e.averagePowerWattsPerGpu * e.pue) / 1000), `energy ${e.energyKwh} ≠ GPU-hours × power × PUE`);
    if (e.co2eKg !== null && e.gridGco2PerKwh !== null) check(close(e.co2eKg, (e.energyKwh * e.gridGco2PerKwh) / 1000), `CO2e ${e.co2eKg} ≠ energy × grid`);
  }
  const flops = e.tflopsPerGpu * 1e12 * e.gpus * e.scalingEfficiency * wall * e.goodput;
  check(close(flops, e.trainingFlops, 1e-9), `TFLOP/s × GPUs × efficiency × wall clock × goodput ${flops} ≠ training FLOPs ${e.trainingFlops}`);
  const within = (lo, v, hi, what) => check(lo <= v * (1 + 1e-12) && v <= hi * (1 + 1e-12), `${what} ${v} outside ${lo}–${hi}`);
  within(e.wallClockDaysLow, e.wallClockDays, e.wallClockDaysHigh, 'wall clock (days)');
  within(e.tflopsPerGpuLow, e.tflopsPerGpu, e.tflopsPerGpuHigh, 'TFLOP/s per GPU');
  if (e.costUsd !== null && e.costUsdLow !== null) within(e.costUsdLow, e.costUsd, e.costUsdHigh, 'cost');
  return out;
}

/** Fields a compare row and its estimate must share. */
const SHARED = [
  'wallClockSeconds',
  'gpuHours',
  'costUsd',
  'tflopsPerGpu',
  'tokensPerSecondPerGpu',
  'stepSeconds',
  'steps',
  'goodput',
  'mfu',
  'hfu',
  'energyKwh',
];

/**
 * The broken links of one random case: the estimate's own, and its compare row against it.
 * `api` is the library (estimate, compare); a request that cannot run (exit 2) is no violation.
 */
export function checkCase(api, req, presets) {
  let e;
  try {
    [e] = api.estimate(req, { presets, today: TODAY }).estimates;
  } catch (err) {
    return notRun(err, 'estimate');
  }
  const problems = violations(e);
  // Padding is computed like data: every example at the full sequence length.
  if (req.padded && !close(e.tokens, req.examples * req.seqLen * req.epochs)) problems.push(`padded tokens ${e.tokens} ≠ examples × seqLen × epochs`);
  // A measured rate comes back out of the run: tokens ÷ (rate × GPUs), before interruptions.
  if (req.tokensPerSec !== undefined && !close(e.wallClockSeconds * e.goodput, e.tokens / (req.tokensPerSec * e.gpus)))
    problems.push(`wall clock × goodput ${e.wallClockSeconds * e.goodput} ≠ tokens ÷ (measured rate × GPUs) ${e.tokens / (req.tokensPerSec * e.gpus)}`);
  const { gpu, gpus, ...rest } = req;
  const [row] = api.compare({ ...rest, gpu: [gpu], gpus: [gpus] }, { presets, today: TODAY }).estimates;
  for (const key of SHARED) {
    const a = e[key];
    const b = row[key];
    if (!(a === b || (typeof a === 'number' && typeof b === 'number' && close(a, b)))) problems.push(`compare row ${key} ${b} ≠ estimate ${a}`);
  }
  return { ran: true, problems };
}

/**
 * A random plan: a deadline for a model, GPU type and tokens; or a dollar budget at a price (what the
 * money buys, parameters and tokens solved for), with a deadline half the time.
 */
export function randomPlanRequest(r) {
  // A fine-tune on cards people rent one at a time, against a deadline of hours.
  if (r.chance(0.2)) {
    const finetune = { finetune: r.pick(['lora', 'qlora', 'full']), examples: r.pick([10_000, 200_000]), avgLen: r.pick([512, 2048]) };
    return { model: r.pick(MODELS), gpu: [r.pick(['rtx-4090', 'l40s', 'a100-80gb', 'h100'])], ...finetune, deadlineSeconds: r.pick([1, 6, 24]) * 3600 };
  }
  const deadlineSeconds = r.pick([1, 7, 30, 90, 365]) * 86_400;
  if (r.chance(0.7)) return { model: r.pick(MODELS), gpu: [r.pick(GPUS)], tokens: r.pick(TOKENS), deadlineSeconds };
  const req = { model: r.pick(MODELS), gpu: [r.pick(GPUS)], budgetUsd: r.pick([1e5, 1e6, 1e7, 5e7]), price: r.pick([1, 2, 4]) };
  if (r.chance(0.5)) req.deadlineSeconds = deadlineSeconds;
  return req;
}

/**
 * A feasible plan's count meets its deadline with no error-level check, and the next smaller count
 * (one node fewer) either misses the deadline or cannot run (a check at error level, or refused).
 */
export function checkPlan(api, req, presets) {
  let plan;
  try {
    [plan] = api.plan(req, { presets, today: TODAY }).plans;
  } catch (err) {
    return notRun(err, 'plan');
  }
  if (!plan.feasible) return { ran: true, problems: [] };
  const problems = [];
  const e = plan.estimate;
  if (e.warnings.some((w) => w.severity === 'error')) problems.push(`plan of ${plan.gpus} GPUs carries an error-level check`);
  problems.push(...violations(e).map((v) => `plan's estimate: ${v}`));
  for (const key of ['steps', 'stepSeconds', 'goodput', 'seqLen'])
    if (plan[key] !== e[key]) problems.push(`plan ${key} ${plan[key]} ≠ its estimate's ${e[key]}`);
  // A budget the plan cannot keep must say so (PLAN_BUDGET_EXCEEDED) rather than look met.
  const overBudget = req.budgetUsd !== undefined && e.costUsd !== null && e.costUsd > req.budgetUsd * (1 + 1e-6);
  if (overBudget && !plan.warnings.some((w) => w.code === 'PLAN_BUDGET_EXCEEDED'))
    problems.push(`plan costs ${e.costUsd}, over the budget ${req.budgetUsd}, and does not say so`);
  if (req.deadlineSeconds === undefined) return { ran: true, problems };
  if (e.wallClockSeconds > req.deadlineSeconds * (1 + 1e-9))
    problems.push(`plan of ${plan.gpus} GPUs takes ${e.wallClockSeconds} s, over the deadline ${req.deadlineSeconds}`);
  // The fewest GPUs for a fixed workload: one node fewer must miss the deadline or be unable to run.
  const smaller = plan.gpus - plan.gpusPerNode;
  if (req.budgetUsd === undefined && smaller >= (plan.minGpusForMemory ?? 1) && smaller > 0) {
    const { deadlineSeconds: _d, gpu, ...rest } = req;
    try {
      const [s] = api.estimate({ ...rest, gpu: gpu[0], gpus: smaller }, { presets, today: TODAY }).estimates;
      // Under peak × MFU a count whose pipeline the batch starves leaves its idle time out, so the plan passes it over.
      const idleUncounted = s.perf !== 'model' && s.warnings.some((w) => w.code === 'PIPELINE_STARVED');
      const meets = s.wallClockSeconds <= req.deadlineSeconds * (1 + 1e-9) && !s.warnings.some((w) => w.severity === 'error') && !idleUncounted;
      if (meets && plan.gpusFrom === 'deadline')
        problems.push(`${smaller} GPUs also meet the deadline (${s.wallClockSeconds} s), so ${plan.gpus} is not the fewest`);
    } catch {
      // a smaller count that cannot run at all is not a cheaper answer
    }
  }
  return { ran: true, problems };
}

/** A request refused with a GpucostError (exit 2) did not run, which is no violation; anything else thrown is one. */
function notRun(err, what) {
  if (err?.name === 'GpucostError' || err?.code) return { ran: false, problems: [] };
  return { ran: false, problems: [`${what} threw ${err?.stack ?? err}`] };
}
