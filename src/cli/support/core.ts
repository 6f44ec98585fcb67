import { redactUrl } from '../../config/redact.js';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Config, loadConfig } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import type { CoreContext } from '../../core/context.js';
import { MemoryEventBus } from '../../core/events/memory-bus.js';
import { randomIds } from '../../core/ids.js';
import { configOverrides } from './config-flags.js';
import { CliError } from './fail.js';

/** The CLI's one reading of the configuration: environment, then the command's flags. */
export const cliConfig = (options: Record<string, unknown>): Config =>
  loadConfig(process.env, configOverrides(options));

/** SQLite will not create folders, and `npm start` must work on a fresh clone without data/. */
export function ensureDatabaseFolder(config: Config): void {
  if (config.databaseUrl || config.sqliteFile === ':memory:') return;
  const folder = dirname(resolve(config.sqliteFile));
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new CliError(
      `cannot create the folder ${folder} for the database file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'choose a database file in a folder this user may write (--db or TALLY_DB)',
    );
  }
}

/** Opens the store (which applies pending migrations), runs fn with a core context, and closes it. */
export async function withCore<T>(config: Config, fn: (ctx: CoreContext) => Promise<T>): Promise<T> {
  ensureDatabaseFolder(config);
  // Loaded on use: the database drivers are most of the start-up time, and --help needs none of them.
  const { openStore } = await import('../../storage/open.js');
  const store = await openStore(config);
  const events = new MemoryEventBus();
  try {
    return await fn({ store, clock: systemClock, ids: randomIds, events });
  } finally {
    await events.close();
    await store.close();
  }
}

/** Where the data lives, safe to print: the file, or the PostgreSQL URL without its password. */
export const databaseLabel = (config: Config): string =>
  config.databaseUrl ? redactUrl(config.databaseUrl) : config.sqliteFile;
