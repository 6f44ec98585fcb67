import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildChannelOf } from '../../src/storage/postgres/event-bus.js';
import { schemaOfUrl } from '../../src/storage/postgres/url-schema.js';

const BASE = 'postgres://tally:secret@db.internal:5432/tally';

test('the schema comes from the search_path in the URL options, however it is spelled', () => {
  assert.equal(schemaOfUrl(`${BASE}?options=-c%20search_path%3Dtenant_a`), 'tenant_a');
  assert.equal(schemaOfUrl(`${BASE}?options=-c search_path=tenant_b`), 'tenant_b');
  assert.equal(schemaOfUrl(`${BASE}?options=--search_path%3Dtenant_c`), 'tenant_c');
  assert.equal(
    schemaOfUrl(
      `${BASE}?sslmode=disable&options=-c%20statement_timeout%3D5000%20-c%20search_path%3Dt1,public`,
    ),
    't1',
    'the first schema of the path, among other settings',
  );
  assert.equal(schemaOfUrl(`${BASE}?options=-c%20search_path%3D%22quoted%22`), 'quoted');
});

test('a URL without a search_path names no schema', () => {
  assert.equal(schemaOfUrl(BASE), undefined);
  assert.equal(schemaOfUrl(`${BASE}?options=-c%20statement_timeout%3D5000`), undefined);
  assert.equal(schemaOfUrl('host=db user=tally'), undefined, 'a key=value string is left to the driver');
});

test('a schema name that cannot be used unquoted is refused', () => {
  assert.throws(
    () => schemaOfUrl(`${BASE}?options=-c%20search_path%3DTenant`),
    /Invalid schema name: Tenant/,
  );
  assert.throws(() => schemaOfUrl(`${BASE}?options=-c%20search_path%3Da;drop`), /Invalid schema name/);
});

test('each schema has its own notification channel, short enough to stay distinct', () => {
  assert.equal(buildChannelOf('public'), 'tally_builds_public');
  assert.notEqual(buildChannelOf('t_a'), buildChannelOf('t_b'));
  const longA = `a${'x'.repeat(61)}a`;
  const longB = `a${'x'.repeat(61)}b`;
  assert.ok(buildChannelOf(longA).length <= 63);
  assert.notEqual(buildChannelOf(longA), buildChannelOf(longB), 'truncation would have merged these');
});
