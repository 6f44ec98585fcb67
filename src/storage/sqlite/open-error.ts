import { resolve } from 'node:path';

/**
 * The database file could not be used at start: which file, what is wrong with it, and what to
 * do, as a person at a terminal needs it (not a driver stack).
 */
export class StoreOpenError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

/** What SQLite's error codes mean for someone starting Tally on a file. */
const EXPLAINED: Record<string, (file: string) => [problem: string, hint: string]> = {
  SQLITE_NOTADB: (file) => [
    'is not a SQLite database (or is encrypted or damaged)',
    `check TALLY_DB / --db names the right file; restore ${file} from a backup, or move it away to start empty`,
  ],
  SQLITE_CORRUPT: (file) => [
    'is damaged',
    `restore ${file} from a backup; \`sqlite3 ${file} .recover\` may save what is left`,
  ],
  SQLITE_BUSY: () => [
    'is locked by another process',
    'stop the other Tally (or tool) using this file, or point this one at another file with --db',
  ],
  SQLITE_LOCKED: () => [
    'is locked by another connection',
    'stop the other Tally (or tool) using this file, or point this one at another file with --db',
  ],
  SQLITE_READONLY: (file) => [
    'cannot be written',
    `give this user write access to ${file} and its folder (the -wal and -shm files live beside it)`,
  ],
  SQLITE_CANTOPEN: (file) => [
    'cannot be opened',
    `check that the folder of ${file} exists and this user may create and write files in it`,
  ],
  SQLITE_PERM: (file) => ['may not be accessed', `give this user read and write access to ${file}`],
  SQLITE_IOERR: (file) => [
    'could not be read or written (input/output error)',
    `check the disk holding ${file}: free space, permissions and health`,
  ],
  SQLITE_FULL: (file) => ['cannot grow: the disk is full', `free space on the disk holding ${file}`],
};

/** A StoreOpenError for a SQLite failure at start; any other error is returned unchanged. */
export function explainOpenFailure(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  const base = Object.keys(EXPLAINED).find((known) => code === known || code.startsWith(`${known}_`));
  if (!base) return error;
  const path = file === ':memory:' ? file : resolve(file);
  const [problem, hint] = (EXPLAINED[base] as (file: string) => [string, string])(path);
  return new StoreOpenError(`database file ${path} ${problem} (${code})`, hint);
}
