#!/usr/bin/env node
// Renders `gpucost compare --format svg` and `--format html` in a real browser (headless Chromium),
// takes screenshots and checks that the charts were drawn: enough non-white pixels, and pixels of
// each series colour. CI runs it after the tests. With --update it also refreshes docs/img/compare.png.
// Without a Chromium it says so and exits 0 (.ci/run installs Debian's chromium first).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'gpucost.js');
const tmp = mkdtempSync(join(tmpdir(), 'gpucost-render-'));
const browser = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('which', [b]).status === 0);
if (!browser) {
  console.log("chart render check: SKIPPED, no chromium found (install Debian's chromium to run it)");
  process.exit(0);
}

// The first three colours of PALETTE in src/report/render/svg/chart.ts (Okabe and Ito's blue, orange, bluish green).
const SERIES_COLOURS = [
  [0x00, 0x72, 0xb2],
  [0xe6, 0x9f, 0x00],
  [0x00, 0x9e, 0x73],
];
const args = ['compare', '--gpu', 'v100,a100,h100', '--gpus', '8..4096', '--price', '2'];
let failed = false;

for (const format of ['svg', 'html']) {
  const file = join(tmp, `compare.${format}`);
  execFileSync(process.execPath, [bin, ...args, '--format', format, '--output', file], { stdio: 'ignore' });
  const png = join(tmp, `compare-${format}.png`);
  const run = spawnSync(
    browser,
    ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1000,900', `--screenshot=${png}`, `file://${file}`],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (run.status !== 0) {
    console.error(`chart render check: ${browser} failed on ${format}: ${run.stderr.split('\n').slice(-3).join(' ')}`);
    failed = true;
    continue;
  }
  const image = PNG.sync.read(readFileSync(png));
  let ink = 0;
  const found = SERIES_COLOURS.map(() => 0);
  for (let i = 0; i < image.data.length; i += 4) {
    const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]];
    if (r < 240 || g < 240 || b < 240) ink += 1;
    SERIES_COLOURS.forEach(([cr, cg, cb], k) => {
      if (Math.abs(r - cr) < 12 && Math.abs(g - cg) < 12 && Math.abs(b - cb) < 12) found[k] += 1;
    });
  }
  const inkFraction = ink / (image.width * image.height);
  const ok = inkFraction > 0.01 && found.every((n) => n > 50);
  console.log(
    `chart render check: ${format} ${ok ? 'ok' : 'FAILED'} (${image.width}×${image.height}, ${(inkFraction * 100).toFixed(1)}% ink, series pixels ${found.join('/')})`,
  );
  if (!ok) failed = true;
  if (ok && format === 'html' && process.argv.includes('--update')) {
    mkdirSync(join(root, 'docs', 'img'), { recursive: true });
    copyFileSync(png, join(root, 'docs', 'img', 'compare.png'));
    console.log('updated docs/img/compare.png');
  }
}
process.exit(failed ? 1 : 0);
