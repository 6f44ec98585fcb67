import { Command } from 'commander';
import { addServerFlags, addStoreFlags } from './support/config-flags.js';
import { cliConfig, databaseLabel } from './support/core.js';
import { withExamples } from './support/help.js';
import { note } from './support/output.js';
import { runServer } from './support/run-server.js';

/** `tally serve`: runs the HTTP server until SIGINT/SIGTERM. */
export function serveCommand(): Command {
  const command = new Command('serve').description(
    'Run the Tally server: vendor API, partner API and API docs at /api-docs (Ctrl-C stops it gracefully)',
  );
  addServerFlags(command);
  addStoreFlags(command);
  withExamples(
    command,
    'tally serve --port 8080 --db data/tally.db',
    'DATABASE_URL=postgres://tally@db/tally tally serve --host 0.0.0.0 --build-quiet-ms 500',
  );
  return command.action(async (options: Record<string, unknown>) => {
    const config = cliConfig(options);
    await runServer(config, ({ baseUrl, docsUrl }) =>
      note(`Tally is serving ${databaseLabel(config)} at ${baseUrl} (API docs: ${docsUrl})`),
    );
  });
}
