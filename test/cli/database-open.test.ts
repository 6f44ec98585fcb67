import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tally, tempDir } from './cli-harness.js';

test('a damaged database file is named and explained, not a driver stack', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, 'tally.db');
    writeFileSync(file, 'this is not a database, just text long enough to fill a page header '.repeat(20));
    const result = await tally(['migrate', '--db', file]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`error: database file ${file} is not a SQLite database`));
    assert.match(result.stderr, /hint: check TALLY_DB/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    cleanup();
  }
});

test('a database file that cannot be created is named and explained', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // A regular file where the folder should be: nobody, root included, can create the database.
    const notAFolder = join(dir, 'plain-file');
    writeFileSync(notAFolder, '');
    const file = join(notAFolder, 'tally.db');
    const result = await tally(['migrate', '--db', file]);
    assert.notEqual(result.code, 0);
    assert.doesNotMatch(result.stderr, /\n\s+at /, `no stack trace: ${result.stderr}`);
    assert.match(result.stderr, /error: .*plain-file/);
    assert.match(result.stderr, /hint: /);
  } finally {
    cleanup();
  }
});

test('a database file locked by another process is named and explained', async () => {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'tally.db');
  const holder = new Database(file);
  try {
    holder.exec('create table held (x integer)');
    // An exclusive transaction keeps every other connection from reading or writing the file.
    holder.exec('begin exclusive');
    const result = await tally(['migrate', '--db', file]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`error: database file ${file} is locked by another process`));
    assert.match(result.stderr, /hint: stop the other Tally/);
  } finally {
    holder.exec('rollback');
    holder.close();
    cleanup();
  }
});
