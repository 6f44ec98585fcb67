import { Command } from 'commander';
import { isoTime } from '../../core/clock.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { CliError } from '../support/fail.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines, table } from '../support/output.js';
import { mappingsToRemap, remapNote } from '../../core/psa-connector/carry-mappings.js';
import { PSA_NAMES } from '../../core/model.js';
import { connectionJson, countsText } from './support.js';

interface Options {
  partner: string;
  json?: boolean;
}

/** `tally psa status`: the partner's PSA connection, its last sync and its writes. */
export function psaStatusCommand(): Command {
  const command = new Command('status')
    .description("Show the partner's PSA connection, its last sync and the writes still waiting or failed")
    .requiredOption('--partner <partnerId>', 'id printed by `tally partner create`')
    .option(
      '--json',
      'print { kind, site, account, settings, lastSync, writes: { pending, failed }, toRemap } as JSON',
    );
  addStoreFlags(command);
  withExamples(command, 'tally psa status --partner "$PARTNER_ID"');
  return command.action(async (options: Options) => {
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const partnerId = requireText(options.partner, '--partner');
    const found = await withCore(config, async (ctx) => {
      const connection = await ctx.store.getPsaConnection(partnerId);
      if (!connection) return undefined;
      const [lastSync, pending, failed] = await Promise.all([
        ctx.store.latestPsaSync(partnerId),
        ctx.store.listPsaWrites(partnerId, { state: 'pending', limit: 1000 }),
        ctx.store.listPsaWrites(partnerId, { state: 'failed', limit: 1000 }),
      ]);
      const toRemap = (await mappingsToRemap(ctx, partnerId)).length;
      return { connection, lastSync, pending: pending.length, failed: failed.length, toRemap };
    });
    if (!found) {
      throw new CliError(
        `Partner ${partnerId} has no PSA connected`,
        'connect one with `tally psa connect connectwise|halo|autotask`',
      );
    }
    const { connection, lastSync } = found;
    if (options.json) {
      return printJson({
        ...connectionJson(connection, lastSync),
        writes: { pending: found.pending, failed: found.failed },
        toRemap: found.toRemap,
      });
    }
    printLines([
      `${PSA_NAMES[connection.kind]} at ${connection.site} (account ${connection.account})`,
      ...table([
        [
          'last sync',
          lastSync
            ? `${lastSync.state}, ${lastSync.full ? 'full' : 'delta'}, started ${isoTime(lastSync.startedAtMs)}: ${countsText(lastSync)}`
            : 'never',
        ],
        ...(lastSync?.error ? ([['error', lastSync.error]] as [string, string][]) : []),
        ['writes', `${found.pending} pending, ${found.failed} failed`],
      ]),
      ...(found.toRemap > 0 ? [remapNote(found.toRemap, connection.kind)] : []),
    ]);
  });
}
