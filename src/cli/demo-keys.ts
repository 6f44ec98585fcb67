import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import type { DemoSeed } from './demo/seed-demo.js';

/**
 * Where `tally demo` leaves the keys it issued, so `tally demo --simulate --base-url` can push with
 * the running demo's keys instead of reissuing them (which would cut off the first terminal). Keys
 * are stored in the database only as digests, so this file is the one place they can be read again;
 * it is written readable by its owner only and holds no password.
 */
export const demoKeysFile = (config: Config): string =>
  join(dirname(resolve(config.databaseUrl === null ? config.sqliteFile : 'data/tally.db')), 'demo-keys.json');

/** The seed without the web password: a second terminal prints "unchanged" instead. */
export type StoredDemoSeed = Omit<DemoSeed, 'partnerPassword'>;

export function saveDemoKeys(path: string, seed: DemoSeed): void {
  const { partnerPassword: _password, ...stored } = seed;
  writeFileSync(path, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
}

/** The keys of the demo last seeded into this database, or an error that says how to get them. */
export function loadDemoKeys(path: string): StoredDemoSeed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(
      `No demo keys at ${path}. Start the demo first (npx tally demo --serve) with the same database; ` +
        'it leaves its keys there for --simulate --base-url.',
    );
  }
  return JSON.parse(text) as StoredDemoSeed;
}
