// A fake `nvidia-smi` on PATH that replays a recorded or constructed output file.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The script prints FAKE_SMI_FILE. A file recorded with a header and units (like the real H200
 * `--format=csv` output in tests/fixtures/nvidia-smi-recorded) is converted to the columns asked for with
 * --query-gpu, without header and units, as nvidia-smi itself would print them.
 */
const SCRIPT = `#!/usr/bin/env node
const fs = require('node:fs');
const text = fs.readFileSync(process.env.FAKE_SMI_FILE, 'utf8');
if (process.env.FAKE_SMI_FAIL) { process.stderr.write('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\\n'); process.exit(9); }
const lines = text.split(/\\r?\\n/).filter((l) => l.trim());
if (!/^name,|^index,/.test(lines[0])) { process.stdout.write(lines.join('\\n') + '\\n'); process.exit(0); }
const header = lines[0].split(',').map((h) => h.trim().replace(/ \\[.*\\]$/, ''));
const query = (process.argv.find((a) => a.startsWith('--query-gpu=')) || '').slice(12).split(',');
lines.slice(1).forEach((line, row) => {
  const cells = line.split(',').map((c) => c.trim().replace(/ (MiB|W|MHz)$/, ''));
  const out = query.map((q) => (q === 'index' && !header.includes('index') ? String(row) : cells[header.indexOf(q)] ?? '[N/A]'));
  process.stdout.write(out.join(', ') + '\\n');
});
`;

export function fakeSmiPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpucost-smi-'));
  writeFileSync(join(dir, 'nvidia-smi'), SCRIPT);
  chmodSync(join(dir, 'nvidia-smi'), 0o755);
  return dir;
}
