import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tallyServing, tempDir } from './cli-harness.js';

const { dir, cleanup } = tempDir();
after(cleanup);

/** Runs `tally <args>` until it has printed `count` simulate lines, then Ctrl-C; the lines, stdout and exit code. */
async function simulate(args: string[], env: Record<string, string>, count: number) {
  const child = spawn(process.execPath, ['bin/tally.js', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const pushes = await new Promise<string[]>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const lines = stderr.split('\n').filter((line) => line.startsWith('simulate: '));
      if (lines.length >= count) resolve(lines);
    });
    void exited.then((code) => reject(new Error(`demo exited ${code} early:\n${stderr}`)));
  });
  child.kill('SIGINT');
  return { pushes, stdout, code: await exited };
}

const PUSH = /^simulate: .+ · account \S+ · .+: \d+ → \d+ \(201\)$/;

test('demo --simulate serves and keeps pushing counts through the vendor API until Ctrl-C', async () => {
  const { pushes, stdout, code } = await simulate(
    ['demo', '--simulate', '--interval-ms', '100', '--port', '0', '--json'],
    { TALLY_DB: join(dir, 'sim.db') },
    3,
  );
  assert.equal(code, 0, 'Ctrl-C stops it cleanly');
  for (const line of pushes) assert.match(line, PUSH);
  const summary = stdout
    .split('\n')
    .filter((line) => line.includes('partnerPassword'))
    .map((line) => JSON.parse(line) as { baseUrl: string })[0];
  assert.match(summary?.baseUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('demo --simulate --base-url pushes with the running demo keys and reissues nothing', async () => {
  const env = { TALLY_DB: join(dir, 'shared.db') };
  const server = await tallyServing(['demo', '--serve', '--port', '0', '--json'], env);
  try {
    const { pushes, code } = await simulate(
      ['demo', '--simulate', '--base-url', `${server.baseUrl}/`, '--interval-ms', '100'],
      env,
      2,
    );
    assert.equal(code, 0);
    for (const line of pushes) assert.match(line, PUSH, 'the running demo accepts its own keys');
    // Nothing was reissued: the sign-in and the token the first terminal printed still work.
    const first = server.lines.find((line) => 'partnerPassword' in line) as {
      partnerEmail: string;
      partnerPassword: string;
      partnerToken: string;
    };
    const signIn = await fetch(`${server.baseUrl}/api/partner/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: first.partnerEmail, password: first.partnerPassword }),
    });
    assert.equal(signIn.status, 200, 'the password printed by the running demo still signs in');
    const token = await fetch(`${server.baseUrl}/api/partner/billing`, {
      headers: { authorization: `Bearer ${first.partnerToken}` },
    });
    assert.equal(token.status, 200, 'the partner token printed by the running demo still works');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('demo --simulate --base-url without a running demo says how to start one', async () => {
  const child = spawn(
    process.execPath,
    ['bin/tally.js', 'demo', '--simulate', '--base-url', 'http://127.0.0.1:9'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        TALLY_DB: join(dir, 'none', 'x.db'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.notEqual(code, 0);
  assert.match(stderr, /No demo keys at .*demo-keys\.json\. Start the demo first/);
});
