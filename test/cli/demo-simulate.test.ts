import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from './cli-harness.js';

const { dir, cleanup } = tempDir();
after(cleanup);

test('demo --simulate serves and keeps pushing counts through the vendor API until Ctrl-C', async () => {
  const child = spawn(
    process.execPath,
    ['bin/tally.js', 'demo', '--simulate', '--interval-ms', '100', '--port', '0', '--json'],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, TALLY_DB: join(dir, 'sim.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const pushes = await new Promise<string[]>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const lines = stderr.split('\n').filter((line) => line.startsWith('simulate: '));
      if (lines.length >= 3) resolve(lines);
    });
    void exited.then((code) => reject(new Error(`demo exited ${code} early:\n${stderr}`)));
  });
  child.kill('SIGINT');
  assert.equal(await exited, 0, 'Ctrl-C stops it cleanly');
  for (const line of pushes) {
    assert.match(line, /^simulate: .+ · account \S+ · .+: \d+ → \d+ \(201\)$/);
  }
  const summary = stdout
    .split('\n')
    .filter((line) => line.includes('partnerPassword'))
    .map((line) => JSON.parse(line) as { baseUrl: string })[0];
  assert.match(summary?.baseUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
});
