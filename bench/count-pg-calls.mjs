// Preloaded into a server process by the cluster benchmark: counts what the process asks of
// PostgreSQL — round trips (every query) and transactions (BEGIN … COMMIT, or a statement on its
// own) — and writes them to $TALLY_BENCH_PG_CALLS_FILE when the process exits.
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setInterval } from 'node:timers';

const file = process.env.TALLY_BENCH_PG_CALLS_FILE;
if (file) {
  const pg = createRequire(join(process.cwd(), 'package.json'))('pg');
  const totals = { roundTrips: 0, transactions: 0 };
  const inTransaction = new WeakSet();
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(config, ...rest) {
    totals.roundTrips++;
    const text = (typeof config === 'string' ? config : (config?.text ?? '')).trim().toUpperCase();
    if (text.startsWith('BEGIN')) {
      inTransaction.add(this);
      totals.transactions++;
    } else if (text.startsWith('COMMIT') || text.startsWith('ROLLBACK')) {
      inTransaction.delete(this);
    } else if (!inTransaction.has(this)) {
      totals.transactions++;
    }
    return query.call(this, config, ...rest);
  };
  // The benchmark reads the figures between phases, so they are written as they change, at most 10 times a second.
  // Written aside and renamed into place, so a reader never sees a half-written file.
  const write = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(totals));
    renameSync(`${file}.tmp`, file);
  };
  setInterval(write, 100).unref();
  process.once('exit', write);
}
