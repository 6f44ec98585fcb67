import { Command } from 'commander';
import { TallyError } from '../core/errors.js';
import { addStoreFlags } from './support/config-flags.js';
import { redactUrl } from '../config/redact.js';
import { cliConfig } from './support/core.js';
import { CliError } from './support/fail.js';
import { withExamples } from './support/help.js';
import { note, printJson, printLines, table } from './support/output.js';

/** `tally migrate-to`: copies the embedded SQLite database into PostgreSQL, for moving to a cluster. */
export function migrateToCommand(): Command {
  const command = new Command('migrate-to')
    .description(
      'Copy the embedded SQLite database into an empty PostgreSQL database: every table, with the same ids, ' +
        'keys, count history and build state (stop the server first, so no count arrives after the copy)',
    )
    .option('--force', 'empty the PostgreSQL tables first instead of refusing a database that holds rows')
    .option('--json', 'print { from, to, tables: [{ name, rows }] } as JSON');
  addStoreFlags(command);
  withExamples(
    command,
    'tally migrate-to --db data/tally.db --database-url postgres://tally@db.internal/tally',
    "tally migrate-to --database-url 'postgres://tally@db.internal/tally?options=-c%20search_path%3Dtally'",
  );
  return command.action(async (options: { force?: boolean; json?: boolean }) => {
    const config = cliConfig(options);
    if (!config.databaseUrl) {
      throw new CliError(
        'no PostgreSQL database to copy into',
        'give one with --database-url postgres://… (or DATABASE_URL)',
      );
    }
    const from = config.sqliteFile;
    const to = redactUrl(config.databaseUrl);
    note(`Copying ${from} into ${to}`);
    // Loaded on use, like every database driver in the CLI.
    const { copySqliteToPostgres } = await import('../storage/postgres/copy-from-sqlite.js');
    let tables;
    try {
      tables = await copySqliteToPostgres({
        sqliteFile: from,
        url: config.databaseUrl,
        force: options.force ?? false,
        progress: note,
      });
    } catch (error) {
      if (error instanceof TallyError && error.code === 'not_found') {
        throw new CliError(error.message, 'name the embedded database with --db FILE (or TALLY_DB)');
      }
      if (error instanceof TallyError && error.code === 'conflict') {
        throw new CliError(
          `${error.message}; nothing was copied`,
          'copy into an empty database or schema, or add --force to replace what it holds',
        );
      }
      throw error;
    }
    if (options.json) return printJson({ from, to, tables });
    const rows = tables.reduce((sum, t) => sum + t.rows, 0);
    printLines([
      `Copied ${rows} rows in ${tables.length} tables from ${from} to ${to}`,
      ...table(tables.map((t) => [t.name, String(t.rows)])),
      `Next: run \`tally serve\` with DATABASE_URL set to that database.`,
    ]);
  });
}
