#!/usr/bin/env node
// Fails when the npm tarball grows past its budget (issue 14: at most 1 MB packed).
import { execFileSync } from 'node:child_process';

const LIMIT_BYTES = 1_000_000;
const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const line = `npm pack: ${(pack.size / 1e3).toFixed(0)} kB packed, ${(pack.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${pack.entryCount} files (limit ${LIMIT_BYTES / 1e6} MB packed)`;
if (pack.size > LIMIT_BYTES) {
  console.error(`${line}: over the limit`);
  process.exit(1);
}
console.log(line);
