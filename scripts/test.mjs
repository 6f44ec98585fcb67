#!/usr/bin/env node
// Runs every test file under test/ and the workspace packages' test/ folders with Node's test runner
// (Node 20 takes no globs, so we list them).
// Usage: node scripts/test.mjs [path-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.test.ts') ? [path] : [];
  });

const filters = process.argv.slice(2);
/** Test folders: the server's, and each workspace package's own. */
const ROOTS = ['test', 'clients/typescript/test'];
const files = ROOTS.flatMap(walk)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
