// Random and hand-picked inputs for the CLI, and the rules every run must keep. Used by
// scripts/fuzz.mjs (the full run) and tests/fuzz.test.ts (a sample in the test suite).
//
// A case is an argv, files to create first (run files, presets, HF configs, odd files), and
// optionally an environment and expectations. Every run must: end with exit 0, 1 or 2; print no
// stack trace and no "internal error"; throw nothing uncaught; write --output completely or not at
// all (no temporary file left); change no other file in its folder; print parseable JSON for --format json.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Deterministic PRNG (mulberry32): the same seed gives the same cases. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}

const NUMBERS = [
  '1',
  '8',
  '64',
  '1024',
  '3',
  '0',
  '-1',
  '-0',
  '1e400',
  '-1e400',
  '1e-400',
  '1e308',
  '1e-320',
  'NaN',
  'Infinity',
  '-Infinity',
  '9'.repeat(400),
  '9007199254740993',
  '0x10',
  '1_000',
  '1.5k',
  '2T',
  '175B',
  '300e9',
  '3.14e23',
  '1.5',
  '0.4',
  '40%',
  '100%',
  '101%',
  '0%',
  '',
  ' ',
  '  7  ',
  '１２',
  '٣',
  '🚀',
  '\u0000',
  '7\u0000',
  '1..',
  '..',
  '1e',
  'e1',
  '--1',
  '+5',
  '.5',
  '5.',
  '1,2',
  '1B1',
  'k',
  '2m',
  '$1.48',
  '$',
  '1M',
  '1P',
  '1e21',
  '5e-7',
  'x'.repeat(5000),
];
const RANGES = [
  '8..4096',
  '1..1000+1',
  '8..4096*4',
  '256..2048+256',
  '10..1',
  '1..10+0',
  '1..10*1',
  '1..10*0.5',
  '1..1e12',
  '1..1e15*1.0000001',
  '1..10*1.000000000000001',
  '8,64,512',
  '8,,64',
  ',',
  '1..5,3..8',
  '0..10',
  '-5..5',
  '1e400..1e401',
  '1..2e5+1',
  '1..20*1e300',
  '1..3+1e-9',
  '8..8',
  'a..b',
  '1...5',
];
const GPUS = [
  'h100',
  'a100',
  'v100',
  'a100-80gb',
  'b200',
  'mi300x',
  'tpu-v5p',
  'gaudi3',
  'H100',
  ' h100 ',
  'h_100',
  'nope',
  '',
  '__proto__',
  'constructor',
  'toString',
  'local',
  'LOCAL',
  '../../etc/passwd',
  'h100,a100',
  'h100,,a100',
  ',',
  'ａ100',
  'h100\u0000',
  '🚀',
];
const MODELS = [
  'gpt3-175b',
  'llama2-70b',
  'gpt3-13b',
  'llama3-8b',
  'GPT3-175B',
  'nope',
  '',
  '__proto__',
  'hasOwnProperty',
  '../x.json',
  'missing.json',
  '/dev/null',
  '/dev/zero',
  '/',
  '.',
  'x/',
  'deepseek-v3',
];
const SCENARIOS = ['A1', 'A2', 'A3', 'A4', 'A6', 'A9', 'gpt3-article:A2', 'gpt3-article:', ':A2', 'none', 'NONE', 'nope:A1', '__proto__:A1', ':', ''];
const FORMATS = ['table', 'json', 'csv', 'markdown', 'yaml', 'md', 'yml', 'text', 'JSON', 'svg', 'html', 'xml', '', 'constructor', '__proto__'];
const ENUMS = {
  '--precision': ['toString', 'constructor', 'bf16', 'fp16', 'fp8', 'fp32', 'tf32', 'fp64', 'int4', 'BF16', ''],
  '--flops': ['toString', 'constructor', '6nd', '8nd', '6nd-attn', 'megatron', '7nd', ''],
  '--mlp': ['toString', 'constructor', 'gelu', 'swiglu', 'geglu', 'relu', ''],
  '--kernels': ['eager', 'fused', 'compiled', 'constructor', ''],
  '--scaling': [
    'toString',
    'constructor',
    'linear',
    'model',
    'efficiency:0.9',
    'efficiency:0.95@64',
    'efficiency:90%',
    'efficiency:0',
    'efficiency:1.5',
    'efficiency:0.9@0',
    'efficiency:0.9@1e400',
    'efficiency:',
    'efficiency:0.0000001@1',
    'efficient:0.9',
    '',
  ],
};
const NUMERIC_FLAGS = [
  '--params',
  '--tokens',
  '--layers',
  '--d-model',
  '--heads',
  '--kv-heads',
  '--d-head',
  '--ffn',
  '--seq-len',
  '--vocab',
  '--tflops',
  '--mfu',
  '--price',
  '--max-cost',
  '--max-days',
  '--max-gpu-hours',
  '--grad-bucket-mib',
];
const JUNK_FLAGS = [
  '--fooo',
  '-x',
  '--',
  '---gpu',
  '--gpu=h100',
  '--GPU',
  '-g',
  '-n',
  '-',
  '--no-color',
  '--color',
  '--debug',
  '--help',
  '-h',
  '-V',
  '--version',
  '--format=json',
  '--tokens=1T',
  '--no-gpu',
  '--presets',
  '--fp8-params',
  '--fp8-attention',
  '--moe-overlap',
];

/** Files a case can point at; `make(dir)` returns the absolute path. Content is built from templates and mutations. */
function fileKinds(root) {
  const presetText = (kind, name) => readFileSync(join(root, 'presets', kind, name), 'utf8');
  const gpuYaml = presetText('gpus', 'h100-sxm.yaml');
  const modelYaml = presetText('models', readdirSync(join(root, 'presets', 'models'))[0]);
  const hf = readFileSync(join(root, 'tests', 'fixtures', 'hf', 'llama2-7b', 'config.json'), 'utf8');
  const runFile = 'model: llama2-70b\ngpu: [h100, a100]\ngpus: "64..1024"\ntokens: 2T\nprice: 2.5\nscaling: efficiency:0.9\ngates:\n  maxDays: 400\n';
  return { gpuYaml, modelYaml, hf, runFile };
}

/** A mutated copy of a YAML or JSON text. */
function mutate(r, text) {
  const lines = text.split('\n');
  const ops = r.int(1, 3);
  for (let k = 0; k < ops; k++) {
    const i = r.int(0, Math.max(0, lines.length - 1));
    switch (r.int(0, 13)) {
      case 0:
        lines.splice(i, 1);
        break; // drop a line
      case 1:
        lines.splice(i, 0, lines[i] ?? '');
        break; // duplicate a line (duplicate keys)
      case 2:
        lines.splice(
          i,
          0,
          `${r.pick(['bogus', 'nmae', 'Gpus', '__proto__', 'constructor', 'gates'])}: ${r.pick(['1', 'x', '[1, 2]', '{a: 1}', '~', '!!binary aGk='])}`,
        );
        break;
      case 3:
        lines[i] = (lines[i] ?? '').replace(
          /: .*/,
          `: ${r.pick(['-1', '0', '1e400', '.nan', '.inf', '"x"', '[]', '{}', 'null', 'true', '1e-400', '0x1F', '9'.repeat(50)])}`,
        );
        break;
      case 4:
        lines[i] = (lines[i] ?? '').slice(0, r.int(0, (lines[i] ?? '').length));
        break; // truncate a line
      case 5:
        lines[i] = `\t${lines[i] ?? ''}`;
        break; // a tab in the indentation
      case 6:
        lines.splice(i, 0, '&a [x, x, x, x, x, x, x, x, x]');
        break;
      case 7:
        lines.splice(i, 0, `deep: ${'['.repeat(r.int(10, 5000))}1${']'.repeat(r.int(0, 5000))}`);
        break;
      case 8:
        lines[i] = `${lines[i] ?? ''} # ${'é'.repeat(r.int(1, 20))}`;
        break;
      case 9:
        lines.splice(i, 0, `"\\u0000key": 1`);
        break;
      case 10:
        lines[i] = (lines[i] ?? '').replace(/^(\s*)(\w+)/, '$1__proto__');
        break;
      case 11:
        lines.splice(i, 0, '---');
        break; // a second document
      case 12:
        lines[i] = (lines[i] ?? '').replace(/\d+/, () => r.pick(['1e400', '-5', '0', 'NaN', '1_0']));
        break;
      default:
        lines.splice(i, 0, `  ${r.pick(['x', 'y'])}: ${r.pick(['*a', '&b 1', '*b', '<<: *a'])}`);
        break;
    }
  }
  let out = lines.join('\n');
  if (r.chance(0.1)) out = `\uFEFF${out}`;
  if (r.chance(0.1)) out = out.replace(/\n/g, '\r\n');
  return out;
}

/** A YAML alias bomb ("billion laughs"): each level refers to the previous one nine times. */
export function aliasBomb(levels = 9) {
  const out = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < levels; i++) {
    const prev = String.fromCharCode(97 + i - 1);
    const cur = String.fromCharCode(97 + i);
    out.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  out.push(`model: *${String.fromCharCode(97 + levels - 1)}`);
  return `${out.join('\n')}\n`;
}

/** One random case. `dir` is a scratch folder for its files; `root` the repository. */
export function randomCase(r, dir, root) {
  const t = fileKinds(root);
  const files = {};
  const file = (name, content) => {
    const path = join(dir, name);
    files[path] = content;
    return path;
  };
  const command = r.pick(['estimate', 'estimate', 'estimate', 'compare', 'compare', 'compare', 'reproduce', 'presets', 'detect', 'help', 'nope', '']);
  const argv = command === '' ? [] : [command];
  if (command === 'presets') {
    const sub = r.pick(['list', 'show', 'validate', 'nope']);
    argv.push(sub);
    if (sub === 'show') argv.push(r.pick([...GPUS, ...MODELS, 'gpt3-article', 'dgx-h100-superpod', 'aws']));
    if (sub === 'list' && r.chance(0.5)) argv.push('--kind', r.pick(['gpu', 'model', 'scenario', 'gpus', 'cluster', '']));
    if (sub === 'validate') {
      const n = r.int(0, 3);
      for (let k = 0; k < n; k++) argv.push(oddFile(r, file, t, `v${k}`));
    }
  }
  const flags = r.int(0, 7);
  for (let k = 0; k < flags; k++) {
    switch (r.int(0, 11)) {
      case 0:
        argv.push('--gpu', r.pick(GPUS));
        break;
      case 1:
        argv.push('--gpus', r.chance(0.5) ? r.pick(NUMBERS) : r.pick(RANGES));
        break;
      case 2:
        argv.push('--model', r.chance(0.85) ? r.pick(MODELS) : oddFile(r, file, t, 'model.json', 'hf'));
        break;
      case 3:
        argv.push('--scenario', r.pick(SCENARIOS));
        break;
      case 4:
        argv.push('--format', r.pick(FORMATS));
        break;
      case 5:
        argv.push(r.pick(NUMERIC_FLAGS), r.pick(NUMBERS));
        break;
      case 6: {
        const f = r.pick(Object.keys(ENUMS));
        argv.push(f, r.pick(ENUMS[f]));
        break;
      }
      case 7:
        argv.push('--config', oddFile(r, file, t, 'run.yaml', 'run'));
        break;
      case 8:
        argv.push('--presets', presetDir(r, dir, files, t));
        break;
      case 9:
        argv.push('--output', join(dir, r.pick(['out.json', 'out.csv', 'sub/out.txt', 'out.svg'])));
        break;
      case 10:
        argv.push(r.pick(JUNK_FLAGS));
        break;
      default:
        argv.push(r.pick([...NUMBERS, ...GPUS]).slice(0, 50));
        break; // a stray argument
    }
  }
  if (argv.includes('--output') && r.chance(0.3)) {
    const target = argv[argv.indexOf('--output') + 1];
    if (target && !target.includes('sub/')) files[target] = 'previous content\n';
  }
  const env = r.chance(0.1) ? { GPUCOST_PRESETS: presetDir(r, dir, files, t) } : {};
  if (r.chance(0.08)) files[join(dir, 'gpucost.yaml')] = r.chance(0.5) ? mutate(r, t.runFile) : t.runFile; // picked up from the current directory
  return { argv, files, env };
}

/** A path to a file with odd content, or to something that is not a file. */
function oddFile(r, file, t, name, kind) {
  const base = kind === 'hf' ? t.hf : kind === 'run' ? t.runFile : r.pick([t.gpuYaml, t.modelYaml]);
  switch (r.int(0, 12)) {
    case 0:
      return file(name, '');
    case 1:
      return file(name, Buffer.from(Array.from({ length: r.int(1, 4000) }, () => r.int(0, 255))));
    case 2:
      return file(name, `${base}\n#${'x'.repeat(1_100_000)}\n`); // over the size limit
    case 3:
      return file(name, { dir: true });
    case 4:
      return file(name, aliasBomb(r.int(3, 10)));
    case 5:
      return join(file(`missing-${name}`, null), 'nope');
    case 6:
      return file(name, `\uFEFF${base.replace(/\n/g, '\r\n')}`);
    case 7:
      return file(name, { content: base, mode: 0o000 });
    case 8:
      return r.pick(['/dev/null', '/dev/zero', '/proc/self/mem', '/']);
    default:
      return file(name, mutate(r, base));
  }
}

/** A preset folder with a few (often mutated) files. */
function presetDir(r, dir, files, t) {
  const pd = join(dir, `presets-${r.int(0, 1e6)}`);
  files[pd] = { dir: true };
  const n = r.int(0, 3);
  for (let k = 0; k < n; k++) {
    const kind = r.pick(['gpus', 'models', 'scenarios', 'clusters', 'runs', 'nope']);
    const text = kind === 'models' ? t.modelYaml : t.gpuYaml;
    files[join(pd, kind, `p${k}.yaml`)] = r.chance(0.3) ? text.replace(/^id: .*/m, `id: custom-${k}`) : mutate(r, text);
  }
  if (n === 0 && r.chance(0.3)) files[join(pd, 'gpus')] = 'not a folder';
  return pd;
}

/**
 * Hand-picked cases for what must be rejected cleanly; `expect` adds checks to the general rules.
 * `paths(dir)` gives the files to create.
 */
export function explicitCases(dir, root) {
  const t = fileKinds(root);
  const p = (name) => join(dir, name);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    {
      name: 'YAML alias bomb in a run file',
      argv: ['estimate', '--config', p('bomb.yaml')],
      files: { [p('bomb.yaml')]: aliasBomb(9) },
      expect: { code: 2, stderr: /alias|Excessive/i },
    },
    {
      name: 'YAML alias bomb in a preset',
      argv: ['presets', 'validate', p('gpus/bomb.yaml')],
      files: { [p('gpus/bomb.yaml')]: aliasBomb(10) },
      expect: { code: 2 },
    },
    { name: '1e400 tokens', argv: ['estimate', '--tokens', '1e400'], expect: { code: 2, stderr: /too large/ } },
    { name: '1e400 GPUs', argv: ['estimate', '--gpus', '1e400'], expect: { code: 2 } },
    { name: 'negative GPU count', argv: ['estimate', '--gpus', '-1'], expect: { code: 2 } },
    { name: 'zero GPU count', argv: ['compare', '--gpus', '0'], expect: { code: 2 } },
    { name: 'zero price is fine', argv: ['estimate', '--price', '0', '--format', 'json'], expect: { code: 0 } },
    { name: 'negative price', argv: ['estimate', '--price', '-1'], expect: { code: 2 } },
    { name: 'range that never advances', argv: ['compare', '--gpus', '1..1000*1.000000000000001'], expect: { code: 2 } },
    { name: 'range that is too long', argv: ['compare', '--gpus', '1..1e12+1'], expect: { code: 2 } },
    { name: '200,000 rows as a table: refused, not a stack overflow', argv: ['compare', '--gpus', '1..2e5+1'], expect: { code: 2, stderr: /--format csv/ } },
    { name: 'empty run file', argv: ['estimate', '--config', p('empty.yaml')], files: { [p('empty.yaml')]: '' }, expect: { code: 2, stderr: /empty/ } },
    {
      name: 'binary run file',
      argv: ['estimate', '--config', p('bin.yaml')],
      files: { [p('bin.yaml')]: Buffer.from([0, 1, 2, 255, 254, 0, 10]) },
      expect: { code: 2, stderr: /binary/ },
    },
    {
      name: 'huge run file',
      argv: ['estimate', '--config', p('huge.yaml')],
      files: { [p('huge.yaml')]: `model: gpt3-13b\n#${'x'.repeat(2_000_000)}\n` },
      expect: { code: 2, stderr: /bytes/ },
    },
    {
      name: 'a directory as the run file',
      argv: ['estimate', '--config', p('adir')],
      files: { [p('adir')]: { dir: true } },
      expect: { code: 2, stderr: /directory/ },
    },
    {
      name: 'a directory as the model config',
      argv: ['estimate', '--model', `${p('mdir')}/`],
      files: { [p('mdir')]: { dir: true } },
      expect: { code: 2, stderr: /directory/ },
    },
    { name: 'a directory to validate', argv: ['presets', 'validate', p('vdir')], files: { [p('vdir')]: { dir: true } }, expect: { code: 2 } },
    { name: 'an endless device as the run file', argv: ['estimate', '--config', '/dev/zero'], expect: { code: 2 } },
    { name: 'an endless device as the model config', argv: ['estimate', '--model', '/dev/zero'], expect: { code: 2 } },
    { name: 'an endless device to validate', argv: ['presets', 'validate', '/dev/zero'], expect: { code: 2 } },
    {
      name: asRoot ? 'unreadable run file (chmod 000; root reads it anyway, so it must then work)' : 'unreadable run file (chmod 000)',
      argv: ['estimate', '--config', p('locked.yaml'), '--format', 'json'],
      files: { [p('locked.yaml')]: { content: 'model: gpt3-13b\n', mode: 0o000 } },
      expect: asRoot ? { code: 0 } : { code: 2, stderr: /EACCES/ },
    },
    { name: 'a file that cannot be read (EIO even for root)', argv: ['estimate', '--config', '/proc/self/mem'], expect: { code: 2 } },
    {
      name: 'BOM and CRLF in a run file',
      argv: ['estimate', '--config', p('crlf.yaml'), '--format', 'json'],
      files: { [p('crlf.yaml')]: '\uFEFFmodel: gpt3-13b\r\ngpu: h100\r\ngpus: 64\r\n' },
      expect: { code: 0 },
    },
    {
      name: 'BOM and CRLF in a preset',
      argv: ['presets', 'validate', p('gpus/crlf.yaml')],
      files: { [p('gpus/crlf.yaml')]: `\uFEFF${t.gpuYaml.replace(/\n/g, '\r\n')}` },
      expect: { code: 0 },
    },
    {
      name: 'duplicate keys',
      argv: ['estimate', '--config', p('dup.yaml')],
      files: { [p('dup.yaml')]: 'model: gpt3-13b\nmodel: gpt3-175b\n' },
      expect: { code: 2, stderr: /unique|duplicate/i },
    },
    {
      name: '__proto__ key in a run file',
      argv: ['estimate', '--config', p('proto.yaml')],
      files: { [p('proto.yaml')]: '__proto__:\n  polluted: true\nmodel: gpt3-13b\n' },
      expect: { code: 2, stderr: /__proto__/ },
    },
    {
      name: '__proto__ key in a preset',
      argv: ['presets', 'validate', p('gpus/proto.yaml')],
      files: { [p('gpus/proto.yaml')]: `__proto__: {x: 1}\n${t.gpuYaml}` },
      expect: { code: 2, stderr: /__proto__/ },
    },
    {
      name: 'unknown field in a run file, named',
      argv: ['estimate', '--config', p('unk.yaml')],
      files: { [p('unk.yaml')]: 'model: gpt3-13b\ngpuz: h100\n' },
      expect: { code: 2, stderr: /unknown field "gpuz"/ },
    },
    {
      name: 'unknown field in a preset, named',
      argv: ['presets', 'validate', p('gpus/unk.yaml')],
      files: { [p('gpus/unk.yaml')]: `${t.gpuYaml}\nmemoryGb: 80\n` },
      expect: { code: 2, stderr: /unknown field "memoryGb"/ },
    },
    {
      name: 'wrong type in a run file',
      argv: ['estimate', '--config', p('type.yaml')],
      files: { [p('type.yaml')]: 'model: gpt3-13b\ngpus: [a, b]\n' },
      expect: { code: 2, stderr: /gpus/ },
    },
    {
      name: 'wrong type in a preset',
      argv: ['presets', 'validate', p('gpus/type.yaml')],
      files: { [p('gpus/type.yaml')]: t.gpuYaml.replace(/^memoryGB: .*/m, 'memoryGB: lots') },
      expect: { code: 2, stderr: /memoryGB/ },
    },
    {
      name: 'deeply nested YAML',
      argv: ['estimate', '--config', p('deep.yaml')],
      files: { [p('deep.yaml')]: `model: ${'['.repeat(20000)}${']'.repeat(20000)}\n` },
      expect: { code: 2 },
    },
    {
      name: 'a preset folder whose kind folder is a file',
      argv: ['estimate', '--presets', p('pf')],
      files: { [p('pf/gpus')]: 'not a folder' },
      expect: { code: 2 },
    },
    {
      name: 'unparseable HF config',
      argv: ['estimate', '--model', p('bad.json')],
      files: { [p('bad.json')]: '{"model_type": "llama", ' },
      expect: { code: 2, stderr: /not valid JSON/ },
    },
    {
      name: 'HF config with 1e400',
      argv: ['estimate', '--model', p('big.json'), '--tokens', '1T'],
      files: { [p('big.json')]: t.hf.replace(/"hidden_size": \d+/, '"hidden_size": 1e400') },
      expect: { code: 2 },
    },
    {
      name: '--output into a file where a directory is',
      argv: ['estimate', '--output', p('outdir')],
      files: { [p('outdir')]: { dir: true } },
      expect: { code: 2 },
    },
    {
      name: '--output with a refused format writes nothing',
      argv: ['estimate', '--format', 'svg', '--output', p('never.svg')],
      expect: { code: 2, absent: p('never.svg') },
    },
    {
      name: '--output with a failing gate still writes the data',
      argv: ['estimate', '--price', '2', '--max-cost', '1', '--format', 'json', '--output', p('gated.json')],
      expect: { code: 1 },
    },
  ];
}

/** Creates a case's files. null: make sure nothing is there. */
export function createFiles(files) {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) continue;
    if (content && typeof content === 'object' && !Buffer.isBuffer(content) && content.dir) {
      mkdirSync(path, { recursive: true });
      continue;
    }
    if (content && typeof content === 'object' && !Buffer.isBuffer(content) && (content.fifo || content.symlink)) {
      mkdirSync(dirname(path), { recursive: true });
      if (content.fifo) spawnSync('mkfifo', [path]);
      else symlinkSync(content.symlink, path);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    if (content && typeof content === 'object' && !Buffer.isBuffer(content)) {
      writeFileSync(path, content.content);
      chmodSync(path, content.mode);
    } else {
      writeFileSync(path, content);
    }
  }
}

const STACK = /\n\s+at \S.*[:(]\d+:\d+\)?/;

/**
 * Runs one case with `run` (the CLI's run(argv, io)) and returns the problems found: an empty list
 * is a pass.
 */
export async function check(run, c, cwd) {
  createFiles(c.files ?? {});
  let out = '';
  let err = '';
  const io = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), env: { NO_COLOR: '1', ...(c.env ?? {}) }, isTTY: false, cwd };
  const output = outputOf(c.argv);
  const mayChange = output ? linkChain(resolve(cwd, output)) : new Set();
  const treeBefore = snapshot(cwd);
  const before = output && existsSync(output) && statSync(output).isFile() ? readFileSync(output) : undefined;
  const existedBefore = output !== undefined && existsSync(output);
  const problems = [];
  let code;
  try {
    code = await run(c.argv, io);
  } catch (e) {
    problems.push(`run() threw: ${e instanceof Error ? e.stack : e}`);
  }
  if (code !== undefined && ![0, 1, 2].includes(code)) problems.push(`exit code ${code}`);
  if (/internal error/.test(err)) problems.push(`internal error: ${err.split('\n')[0]}`);
  if (!c.argv.includes('--debug') && (STACK.test(err) || STACK.test(out))) problems.push('stack trace printed');
  const printsData =
    ['estimate', 'compare', 'reproduce', 'presets', 'detect'].includes(c.argv[0]) &&
    c.argv[1] !== 'validate' &&
    !c.argv.some((a) => ['--help', '-h', '--version', '-V'].includes(a));
  const format = c.argv.lastIndexOf('--format') >= 0 ? c.argv[c.argv.lastIndexOf('--format') + 1]?.toLowerCase() : undefined;
  if (code === 0 && printsData && format === 'json' && !output && out) {
    try {
      JSON.parse(out);
    } catch {
      problems.push('--format json printed text that is not JSON');
    }
  }
  if (output) {
    const leftovers = existsSync(dirname(output)) ? readdirSync(dirname(output)).filter((n) => n.startsWith('.') && n.endsWith('.tmp')) : [];
    if (leftovers.length) problems.push(`temporary file left: ${leftovers.join(', ')}`);
    const exists = existsSync(output);
    if (code === 0 && !exists && /wrote /.test(err)) problems.push('said it wrote --output but there is no file');
    if (code === 2 && exists && !existedBefore) problems.push('failed but left an --output file');
    if (code === 2 && before !== undefined && !(existsSync(output) && statSync(output).isFile() && readFileSync(output).equals(before)))
      problems.push('failed but changed the --output file');
  }
  for (const [path, was] of snapshot(cwd)) {
    if (!mayChange.has(path) && treeBefore.get(path) !== was)
      problems.push(`${treeBefore.has(path) ? 'changed' : 'created'} ${path}, which is not the --output file`);
  }
  for (const path of treeBefore.keys()) {
    if (!mayChange.has(path) && !existsSync(path) && !lstatSync(path, { throwIfNoEntry: false })) problems.push(`removed ${path}`);
  }
  const x = c.expect ?? {};
  if (x.code !== undefined && code !== x.code) problems.push(`expected exit ${x.code}, got ${code} (stderr: ${err.split('\n')[0]})`);
  if (x.stderr && !x.stderr.test(err)) problems.push(`expected stderr to match ${x.stderr}, got: ${err.split('\n')[0]}`);
  if (x.symlink && !lstatSync(x.symlink, { throwIfNoEntry: false })?.isSymbolicLink()) problems.push(`${x.symlink} is no longer a symbolic link`);
  if (x.device && !statSync(x.device).isCharacterDevice()) problems.push(`${x.device} is no longer a character device`);
  if (x.json) {
    try {
      JSON.parse(readFileSync(x.json, 'utf8'));
    } catch {
      problems.push(`${x.json} does not hold the JSON written`);
    }
  }
  if (x.stderrNot?.test(err)) problems.push(`stderr must not match ${x.stderrNot}: ${err.split('\n')[0]}`);
  if (x.absent && existsSync(x.absent)) problems.push(`${x.absent} should not exist`);
  return { code, problems, out, err };
}

/**
 * Every file under `dir` (links not followed) with its kind, size and modification time: a run may
 * change nothing in it but its --output file (issue 18: no file outside the output path touched).
 */
function snapshot(dir) {
  const seen = new Map();
  const walk = (d) => {
    let names;
    try {
      names = readdirSync(d);
    } catch {
      return; // unreadable (chmod 000) or not a folder
    }
    for (const name of names) {
      const path = join(d, name);
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (!st) continue;
      // A folder's own time changes whenever a file inside is created or removed: its files are compared instead.
      seen.set(path, st.isDirectory() ? 'd' : `${st.isSymbolicLink() ? 'l' : st.isFIFO() ? 'p' : 'f'}:${st.size}:${st.mtimeMs}:${st.mode}`);
      if (st.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return seen;
}

/** The output path and every path its chain of symbolic links reaches (those it may replace). */
function linkChain(path) {
  const chain = new Set([path]);
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st?.isSymbolicLink()) break;
    p = resolve(dirname(p), readlinkSync(p));
    chain.add(p);
  }
  return chain;
}

function outputOf(argv) {
  const i = argv.lastIndexOf('--output');
  return i >= 0 && argv[i + 1] && argv[i + 1] !== '-' ? argv[i + 1] : undefined;
}

/** Removes a scratch folder, whatever the permissions inside. */
export function clean(dir) {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // chmod 000 files in a folder we own can be removed; anything else is left for the OS
  }
}

/** run() of the built CLI (npm run build first). */
export async function builtRun(root) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  return require(join(root, 'dist', 'cli.cjs')).run;
}

/** Names every plain JavaScript object answers to: a lookup through `obj[name]` finds them all. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

/** The commands whose options the prototype cases cover, as argv prefixes. */
const OPTION_COMMANDS = [['estimate'], ['compare'], ['plan'], ['memory'], ['prices'], ['reproduce'], ['backtest'], ['presets', 'list'], ['detect']];

/** `--flag` of every option that takes a value, per command, read from the built CLI's --help. */
function valueOptions(root) {
  const bin = join(root, 'bin', 'gpucost.js');
  return OPTION_COMMANDS.map((command) => {
    const help = spawnSync(process.execPath, [bin, ...command, '--help'], { encoding: 'utf8' }).stdout;
    const flags = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z0-9-]+) <[^>]+>/gm)].map((m) => m[1]);
    return { command, flags: flags.filter((f) => f !== '--output') };
  });
}

let prototypeCache;
/**
 * Every value-taking option of every command given each prototype name: none may be taken as a
 * valid choice, preset id, number or file (issue 18: `--recompute constructor` once passed and
 * bypassed --fail-if-oom). --output is left out: any name is a valid file name to write.
 */
export function prototypeCases(root) {
  prototypeCache ??= valueOptions(root).flatMap(({ command, flags }) =>
    flags.flatMap((flag) =>
      PROTOTYPE_NAMES.map((name) => ({
        name: `${command.join(' ')} ${flag} ${name}`,
        argv: [...command, flag, name],
        expect: { code: 2 },
      })),
    ),
  );
  return prototypeCache;
}

/** The 80,000-key texts, built once: every case list would otherwise rebuild them (~100 ms). */
/** 80,000 keys as YAML and as JSON: built once, the first time the hand-picked cases are. */
let bigTexts;

/** Hostile inputs for issue 18: FIFOs, devices, symlinks and files too big or too wide to parse. */
export function inputCases(dir) {
  const p = (name) => join(dir, name);
  bigTexts ??= {
    yaml: Array.from({ length: 80_000 }, (_, i) => `k${i}: ${i}`).join('\n'),
    json: JSON.stringify(Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`k${i}`, i]))),
  };
  return [
    {
      name: 'a FIFO as the run file (no writer: must not hang)',
      argv: ['estimate', '--config', p('fifo.yaml')],
      files: { [p('fifo.yaml')]: { fifo: true } },
      expect: { code: 2 },
    },
    { name: 'a FIFO as the model config', argv: ['estimate', '--model', p('fifo.json')], files: { [p('fifo.json')]: { fifo: true } }, expect: { code: 2 } },
    { name: 'a FIFO to validate', argv: ['presets', 'validate', p('gpus/fifo.yaml')], files: { [p('gpus/fifo.yaml')]: { fifo: true } }, expect: { code: 2 } },
    { name: 'a FIFO as a log', argv: ['estimate', '--from-log', p('fifo.log')], files: { [p('fifo.log')]: { fifo: true } }, expect: { code: 2 } },
    {
      name: 'a FIFO in a preset folder',
      argv: ['estimate', '--presets', p('pfifo')],
      files: { [p('pfifo/gpus/x.yaml')]: { fifo: true } },
      expect: { code: 2 },
    },
    { name: 'a character device as a log', argv: ['estimate', '--from-log', '/dev/zero'], expect: { code: 2 } },
    {
      name: 'a symlink to a good run file works',
      argv: ['estimate', '--config', p('link.yaml'), '--format', 'json'],
      files: { [p('real.yaml')]: 'model: gpt3-13b\n', [p('link.yaml')]: { symlink: p('real.yaml') } },
      expect: { code: 0 },
    },
    {
      name: 'a symlink to /dev/zero as the run file',
      argv: ['estimate', '--config', p('zero.yaml')],
      files: { [p('zero.yaml')]: { symlink: '/dev/zero' } },
      expect: { code: 2 },
    },
    {
      name: 'a symlink loop as the run file',
      argv: ['estimate', '--config', p('loop.yaml')],
      files: { [p('loop.yaml')]: { symlink: p('loop.yaml') } },
      expect: { code: 2 },
    },
    {
      name: 'a dangling symlink as the model config',
      argv: ['estimate', '--model', p('dangling.json')],
      files: { [p('dangling.json')]: { symlink: p('nowhere.json') } },
      expect: { code: 2 },
    },
    {
      name: '80,000 keys in a run file: refused or read, in linear time',
      argv: ['estimate', '--config', p('keys.yaml')],
      files: { [p('keys.yaml')]: `model: gpt3-13b\n${bigTexts.yaml}\n` },
      expect: { code: 2 },
    },
    {
      name: '80,000 keys in a preset',
      argv: ['presets', 'validate', p('gpus/keys.yaml')],
      files: { [p('gpus/keys.yaml')]: `${bigTexts.yaml}\n` },
      expect: { code: 2 },
    },
    {
      name: '80,000 keys in a Hugging Face config',
      argv: ['estimate', '--model', p('keys.json'), '--tokens', '1T'],
      files: { [p('keys.json')]: bigTexts.json },
      expect: { code: 2 },
    },
    {
      name: 'a JSON parse error does not quote the file',
      argv: ['estimate', '--model', p('secret.json')],
      files: { [p('secret.json')]: 'SECRET-TOKEN-abc123 {"model_type": "llama"}' },
      expect: { code: 2, stderrNot: /SECRET/ },
    },
    {
      name: 'a Hugging Face MoE config with more experts per token than experts',
      argv: ['estimate', '--model', p('topk.json'), '--tokens', '1T'],
      files: {
        [p('topk.json')]: JSON.stringify({
          model_type: 'mixtral',
          hidden_size: 1024,
          intermediate_size: 4096,
          num_attention_heads: 8,
          num_key_value_heads: 8,
          num_hidden_layers: 4,
          vocab_size: 32000,
          num_local_experts: 4,
          num_experts_per_tok: 8,
          max_position_embeddings: 4096,
        }),
      },
      expect: { code: 2, stderr: /expert/ },
    },
    { name: 'more experts per token than experts, by flags', argv: ['estimate', '--model', 'mixtral-8x7b', '--top-k', '9'], expect: { code: 2 } },
    { name: 'heads not divisible by KV heads', argv: ['estimate', '--model', 'llama2-7b', '--kv-heads', '5'], expect: { code: 2 } },
  ];
}

/** --output where something other than a plain file is (issue 18): links followed, devices kept. */
export function outputCases(dir) {
  const p = (name) => join(dir, name);
  return [
    {
      name: '--output through a symbolic link: the target is written, the link stays',
      argv: ['estimate', '--format', 'json', '--output', p('link.json')],
      files: { [p('real.json')]: 'old', [p('link.json')]: { symlink: p('real.json') } },
      expect: { code: 0, symlink: p('link.json'), json: p('real.json') },
    },
    {
      name: '--output through a dangling link creates its target',
      argv: ['estimate', '--format', 'json', '--output', p('dangling.json')],
      files: { [p('dangling.json')]: { symlink: p('sub/made.json') }, [p('sub')]: { dir: true } },
      expect: { code: 0, symlink: p('dangling.json'), json: p('sub/made.json') },
    },
    {
      name: '--output /dev/null writes into the device and leaves it a device (as root too)',
      argv: ['estimate', '--output', '/dev/null'],
      expect: { code: 0, device: '/dev/null' },
    },
    {
      name: '--output through a link loop: one line, exit 2',
      argv: ['estimate', '--output', p('loop.json')],
      files: { [p('loop.json')]: { symlink: p('loop.json') } },
      expect: { code: 2 },
    },
  ];
}

/** Every hand-picked case, in a fixed order: the general ones, hostile inputs and outputs, prototype names. */
export function handPicked(dir, root) {
  return [...explicitCases(dir, root), ...inputCases(dir), ...outputCases(dir), ...prototypeCases(root)];
}
