import { Command, InvalidArgumentError } from 'commander';
import { seedDemo } from './demo/seed-demo.js';
import { startSimulation } from './demo-simulate.js';
import { demoSummary, demoText } from './demo-summary.js';
import { addServerFlags, addStoreFlags } from './support/config-flags.js';
import { cliConfig, databaseLabel, withCore } from './support/core.js';
import { withExamples } from './support/help.js';
import { note, printJson, printLines } from './support/output.js';
import { baseUrlOf, runServer } from './support/run-server.js';

interface Options {
  serve?: boolean;
  json?: boolean;
  simulate?: boolean;
  intervalMs?: number;
  baseUrl?: string;
}

const DEFAULT_INTERVAL_MS = 2000;

const positiveMs = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 50) {
    throw new InvalidArgumentError('Expected milliseconds, at least 50, like 2000.');
  }
  return Number(value);
};

/** Resolves on the first SIGINT or SIGTERM (Ctrl-C). */
const interrupted = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

/** `tally demo`: seeds (or refreshes) the demo world and prints the sign-in, keys and a ready curl. */
export function demoCommand(): Command {
  const command = new Command('demo')
    .description(
      'Seed a demo: three vendors, an MSP with ~30 companies, products, agreements with deliberate ' +
        'mismatches, mappings and counts (idempotent; reissues the demo keys and password) and print ' +
        'the web sign-in, the keys, a GRADIENT-TOKEN and a ready curl',
    )
    .option('--serve', 'then run the server, as `tally serve` does (this is `npm start`)')
    .option('--json', 'print the keys, ids and sign-in as one JSON object')
    .option(
      '--simulate',
      'keep changing counts through the vendor API so the board moves (serves too, unless --base-url)',
    )
    .option(
      '--interval-ms <ms>',
      `time between simulated counts (default ${DEFAULT_INTERVAL_MS})`,
      positiveMs,
    )
    .option('--base-url <url>', 'with --simulate: push to a Tally already serving this database');
  addStoreFlags(command);
  addServerFlags(command);
  withExamples(
    command,
    'tally demo --serve',
    'tally demo --json --db /tmp/demo.db',
    'tally demo --simulate --base-url http://127.0.0.1:8080 --interval-ms 1000',
  );
  return command.action(async (options: Options) => {
    const config = cliConfig(options as Record<string, unknown>);
    const database = databaseLabel(config);
    note(`Seeding the demo into ${database}`);
    const window = { quietMs: config.buildQuietMs, maxWaitMs: config.buildMaxWaitMs };
    const seed = await withCore(config, (ctx) => seedDemo(ctx, window, (step) => note(`  ${step}`)));
    const print = (baseUrl: string) => {
      const summary = demoSummary(seed, baseUrl, database);
      if (options.json) printJson(summary);
      else printLines(demoText(summary, seed));
    };
    const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    if (options.simulate && options.baseUrl !== undefined) {
      const baseUrl = options.baseUrl.replace(/\/+$/, '');
      print(baseUrl);
      note(`Simulating counts against ${baseUrl} every ${intervalMs} ms; Ctrl-C stops.`);
      const stop = startSimulation(baseUrl, seed.vendors, intervalMs);
      await interrupted();
      return stop();
    }
    if (!options.serve && !options.simulate) return print(baseUrlOf(config.host, config.port));
    let stop = () => {};
    // Printed once the port is bound, so the URL is the real one (also with --port 0).
    await runServer(config, ({ baseUrl }) => {
      print(baseUrl);
      if (!options.simulate) return;
      note(`Simulating counts every ${intervalMs} ms; Ctrl-C stops.`);
      stop = startSimulation(baseUrl, seed.vendors, intervalMs);
      // Stop pushing as soon as the server starts shutting down, not after it has closed.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop());
    });
    stop();
  });
}
