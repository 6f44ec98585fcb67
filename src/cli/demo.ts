import { Command } from 'commander';
import { seedDemo } from '../core/demo/seed-demo.js';
import { demoSummary, demoText } from './demo-summary.js';
import { addServerFlags, addStoreFlags } from './support/config-flags.js';
import { cliConfig, databaseLabel, withCore } from './support/core.js';
import { withExamples } from './support/help.js';
import { note, printJson, printLines } from './support/output.js';
import { baseUrlOf, runServer } from './support/run-server.js';

/** `tally demo`: seeds (or refreshes) the demo world and prints the keys and a ready curl. */
export function demoCommand(): Command {
  const command = new Command('demo')
    .description(
      'Seed a demo vendor, partner, PSA data, mappings and counts (idempotent; reissues the demo keys) ' +
        'and print the keys, a GRADIENT-TOKEN and a ready curl',
    )
    .option('--serve', 'then run the server, as `tally serve` does (this is `npm start`)')
    .option('--json', 'print the keys and ids as one JSON object');
  addStoreFlags(command);
  addServerFlags(command);
  withExamples(command, 'tally demo --serve', 'tally demo --json --db /tmp/demo.db');
  return command.action(async (options: { serve?: boolean; json?: boolean }) => {
    const config = cliConfig(options);
    const database = databaseLabel(config);
    note(`Seeding the demo into ${database}`);
    const window = { quietMs: config.buildQuietMs, maxWaitMs: config.buildMaxWaitMs };
    const seed = await withCore(config, (ctx) => seedDemo(ctx, window, (step) => note(`  ${step}`)));
    const print = (baseUrl: string) => {
      const summary = demoSummary(seed, baseUrl, database);
      if (options.json) printJson(summary);
      else printLines(demoText(summary, seed));
    };
    if (!options.serve) return print(baseUrlOf(config.host, config.port));
    // Printed once the port is bound, so the URL is the real one (also with --port 0).
    await runServer(config, ({ baseUrl }) => print(baseUrl));
  });
}
