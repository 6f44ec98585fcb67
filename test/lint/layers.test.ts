import { ESLint } from 'eslint';
import assert from 'node:assert/strict';
import { test } from 'node:test';

/**
 * Fixtures linted as if they were files of the project, with the project's own ESLint configuration:
 * each layer rule must fail the file that breaks it, with a message that says what to use instead.
 */
const eslint = new ESLint();

const restricted = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
};

const FASTIFY_IN_CORE = `import Fastify from 'fastify';\n\nexport const app = Fastify();\n`;

test('ESLint fails a core file that imports fastify, and says what to do instead', async () => {
  const errors = await restricted('src/core/billing/fixture.ts', FASTIFY_IN_CORE);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.severity, 2);
  assert.match(errors[0]?.message ?? '', /src\/core is the domain: no framework\. Put HTTP in src\/http/);
  assert.deepEqual(await restricted('src/http/fixture.ts', FASTIFY_IN_CORE), [], 'src/http may use fastify');
});

test('the core imports no storage, driver, HTTP or CLI code', async () => {
  for (const line of [
    `import { openStore } from '../../storage/open.js';`,
    `import pg from 'pg';`,
    `import type { HttpDeps } from '../../http/deps.js';`,
    `import { program } from '../../cli/program.js';`,
    `import swagger from '@fastify/swagger';`,
  ]) {
    const errors = await restricted('src/core/billing/fixture.ts', `${line}\n`);
    assert.equal(errors.length, 1, `refused in src/core: ${line}`);
  }
});

test('HTTP and the web UI import no storage; the CLI does not import the composition roots', async () => {
  const storage = `import { openStore } from '../storage/open.js';\n`;
  const [http] = await restricted('src/http/fixture.ts', storage);
  assert.match(http?.message ?? '', /Call a core function/);
  assert.equal(
    (await restricted('src/web/app/fixture.tsx', `import Database from 'better-sqlite3';\n`)).length,
    1,
  );
  const [cli] = await restricted(
    'src/cli/fixture.ts',
    `import { composeTally } from '../bin/tally-server.js';\n`,
  );
  assert.match(cli?.message ?? '', /src\/bin holds the composition roots/);
  assert.deepEqual(await restricted('src/cli/fixture.ts', storage), [], 'the CLI may open a store');
});
