import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { parseSecretKey } from '../core/psa-connector/secret-box.js';
import type { Config } from './config.js';

/**
 * Where the key that seals PSA credentials comes from: TALLY_SECRET_KEY, or — on the embedded
 * default only — a key generated on first use into `secret.key` beside the database (mode 0600).
 * A cluster (PostgreSQL) must be given the key: each process needs the same one.
 */
export function secretKeySource(config: Config, log: (message: string) => void): () => Buffer {
  let key: Buffer | null = config.secretKey === null ? null : parseSecretKey(config.secretKey);
  return () => {
    if (key) return key;
    if (config.databaseUrl !== null) {
      throw new Error(
        'TALLY_SECRET_KEY is required with PostgreSQL: every process must seal PSA credentials alike',
      );
    }
    if (config.sqliteFile === ':memory:') {
      key = randomBytes(32);
      return key;
    }
    const file = join(dirname(config.sqliteFile), 'secret.key');
    if (existsSync(file)) {
      key = parseSecretKey(readFileSync(file, 'utf8'));
      return key;
    }
    mkdirSync(dirname(file), { recursive: true });
    const generated = randomBytes(32);
    writeFileSync(file, `${generated.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    log(
      `Generated ${file} to seal PSA credentials; back it up with the database (without it they cannot be read)`,
    );
    key = generated;
    return key;
  };
}
