import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/storage/postgres/open.js';
import { TEST_DATABASE_URL } from '../support/stores.js';
import { dropSchema, postgresSkipReason, urlWithSchema } from './postgres-support.js';

const skip = await postgresSkipReason('the migration race test');

test(
  'a database migrates while other schemas of the same database are created and dropped',
  { skip },
  async () => {
    // Another deployment (or test run) keeps creating and dropping tables beside ours. Before
    // migrating, the migrator lists every table of the database, and such a change under that
    // listing used to fail the start with "column … does not exist".
    const churn = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await churn.connect();
    const other = `race_${randomBytes(4).toString('hex')}`;
    let churning = true;
    const churned = (async () => {
      let rounds = 0;
      while (churning) {
        await churn.query(`CREATE SCHEMA IF NOT EXISTS ${other}`);
        await churn.query(
          `CREATE TABLE ${other}.t${rounds % 4} (id bigserial primary key, a text, b text, c text, d text)`,
        );
        await churn.query(`ALTER TABLE ${other}.t${rounds % 4} DROP COLUMN b`);
        if (rounds % 4 === 3) await churn.query(`DROP SCHEMA ${other} CASCADE`);
        rounds++;
      }
      return rounds;
    })();
    const ours: string[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const schema = `migrate_race_${randomBytes(4).toString('hex')}`;
        ours.push(schema);
        const store = await openPostgresStore({ url: urlWithSchema(schema), poolSize: 2 });
        try {
          assert.ok(store.appliedMigrations.length > 0, 'every step applied to the new schema');
        } finally {
          await store.close();
        }
      }
    } finally {
      churning = false;
      const rounds = await churned;
      assert.ok(rounds > 0, 'the other schema changed while ours migrated');
      await churn.query(`DROP SCHEMA IF EXISTS ${other} CASCADE`);
      await churn.end();
      for (const schema of ours) await dropSchema(schema);
    }
  },
);
