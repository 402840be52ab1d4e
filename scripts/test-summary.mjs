#!/usr/bin/env node
// Prints the plain closing line "N passed, N failed, N skipped" from vitest's JSON report, so any CI
// log reader can count the tests without knowing vitest's own summary format.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'node_modules/.cache/gpucost/vitest.json';
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
