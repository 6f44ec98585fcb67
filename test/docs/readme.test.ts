import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigSchema, envNameOf, type Config } from '../../src/config/config.js';

const readme = readFileSync('README.md', 'utf8');

test('the README configuration table lists every setting with its environment variable', () => {
  for (const key of Object.keys(ConfigSchema.properties) as (keyof Config)[]) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\``));
    assert.ok(row, `README has a row for ${key}`);
    const env = envNameOf(key);
    if (env) assert.ok(row.includes(`\`${env}\``), `the row of ${key} names ${env}`);
  }
});

test('the README opens with the two commands a newcomer needs', () => {
  const firstScreen = readme.split('\n').slice(0, 30).join('\n');
  assert.match(firstScreen, /npm install && npm start/);
  assert.match(firstScreen, /npm test/);
});
