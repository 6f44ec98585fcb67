import { Command } from 'commander';
import { addStoreFlags } from './support/config-flags.js';
import { cliConfig, databaseLabel, withCore } from './support/core.js';
import { withExamples } from './support/help.js';
import { printJson, printLines } from './support/output.js';

/** `tally migrate`: brings the database schema up to date and says which steps ran. */
export function migrateCommand(): Command {
  const command = new Command('migrate')
    .description('Create or upgrade the database schema and list the migrations that ran')
    .option('--json', 'print { database, applied: [names] } as JSON');
  addStoreFlags(command);
  withExamples(
    command,
    'tally migrate --db data/tally.db',
    'DATABASE_URL=postgres://tally@db/tally tally migrate',
  );
  return command.action(async (options: Record<string, unknown>) => {
    const config = cliConfig(options);
    // Opening the store is what migrates; the store reports what it applied.
    const applied = await withCore(config, async (ctx) => ctx.store.appliedMigrations);
    const database = databaseLabel(config);
    if (options.json) return printJson({ database, applied });
    printLines(
      applied.length === 0
        ? [`${database}: schema is up to date; no migrations ran`]
        : [`${database}: applied ${applied.length} migration(s)`, ...applied.map((name) => `  ${name}`)],
    );
  });
}
