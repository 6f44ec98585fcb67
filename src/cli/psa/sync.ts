import { Command } from 'commander';
import { PsaSyncRunner } from '../../core/psa-connector/sync-runner.js';
import type { PsaSync } from '../../core/psa-connector/store.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { CliError } from '../support/fail.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines } from '../support/output.js';
import { cliPsaDeps, countsText, syncJson } from './support.js';

interface Options {
  partner: string;
  full?: boolean;
  json?: boolean;
}

/** One line redrawn in place on a terminal: what has landed so far. */
function progressLine(sync: PsaSync, startedMs: number): string {
  const seconds = ((Date.now() - startedMs) / 1000).toFixed(1);
  const spinner = '|/-\\'[Math.floor(Date.now() / 200) % 4];
  return `\r${spinner} syncing ${countsText(sync)} (${seconds} s)\u001b[K`;
}

/** `tally psa sync`: runs a sync of the partner's PSA here and now. */
export function psaSyncCommand(): Command {
  const command = new Command('sync')
    .description(
      "Sync the partner's PSA into the ledger now: a delta (what changed since the last sync) unless --full " +
        '(everything; what the PSA no longer lists becomes inactive). Shows progress on a terminal.',
    )
    .requiredOption('--partner <partnerId>', 'id printed by `tally partner create`')
    .option('--full', 'read everything, not only what changed')
    .option('--json', 'print the finished sync { id, state, full, counts, error } as JSON');
  addStoreFlags(command);
  withExamples(
    command,
    'tally psa sync --partner "$PARTNER_ID"',
    'tally psa sync --partner "$PARTNER_ID" --full --json',
  );
  return command.action(async (options: Options) => {
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const partnerId = requireText(options.partner, '--partner');
    const showProgress = !options.json && process.stderr.isTTY === true;
    const startedMs = Date.now();
    const sync = await withCore(config, async (ctx) => {
      const deps = cliPsaDeps(config);
      const runner = new PsaSyncRunner(ctx, deps, {
        checkEveryMs: 60_000,
        leaseMs: config.psaWriteLeaseMs,
        window: { quietMs: config.buildQuietMs, maxWaitMs: config.buildMaxWaitMs },
      });
      const stop = showProgress
        ? deps.events.subscribe((event) => {
            if (event.type === 'sync') process.stderr.write(progressLine(event.sync, startedMs));
          })
        : () => {};
      try {
        await runner.startSync(partnerId, options.full === true);
        return await runner.settled(partnerId);
      } finally {
        stop();
        if (showProgress) process.stderr.write('\n');
      }
    });
    if (!sync) throw new CliError('The sync did not run', 'run `tally psa status` to see the connection');
    if (options.json) printJson(syncJson(sync));
    else if (sync.state === 'succeeded') {
      printLines([`${sync.full ? 'Full' : 'Delta'} sync finished: ${countsText(sync)}`]);
    }
    if (sync.state !== 'succeeded') {
      throw new CliError(
        `The sync failed: ${sync.error ?? 'unknown reason'}`,
        'fix the cause and run it again',
      );
    }
  });
}
