import { Command } from 'commander';
import { replayEvent, replaySince } from '../../core/webhooks/replay.js';
import { cliConfig, withCore } from '../support/core.js';
import { CliError } from '../support/fail.js';
import { printJson, printLines } from '../support/output.js';
import { type OwnerOptions, ownerCommand, ownerOf, SENT_BY_SERVER } from './support.js';

interface Options extends OwnerOptions {
  event?: string;
  since?: string;
}

/** `tally webhooks replay <id>`: one event, or every event since a time, sent again. */
export function webhooksReplayCommand(): Command {
  const command = ownerCommand(
    new Command('replay')
      .description(
        `Send one event, or every event since a time, to an endpoint again (same webhook-id). ${SENT_BY_SERVER}`,
      )
      .argument('<endpointId>', 'the endpoint')
      .option('--event <eventId>', 'the event (msg_…) to send again')
      .option('--since <time>', 'ISO-8601 time: every event of the endpoint’s types from then on'),
    'tally webhooks replay "$ENDPOINT_ID" --partner "$PARTNER_ID" --since 2026-11-30T00:00:00Z',
    'tally webhooks replay "$ENDPOINT_ID" --partner "$PARTNER_ID" --event msg_6751c0de00a1b2c3d4e5f607',
  );
  return command.action(async (endpointId: string, options: Options) => {
    if ((options.event === undefined) === (options.since === undefined)) {
      throw new CliError('give exactly one of --event <eventId> or --since <time>');
    }
    const sinceMs = options.since === undefined ? null : Date.parse(options.since);
    if (sinceMs !== null && Number.isNaN(sinceMs)) {
      throw new CliError(`--since ${options.since} is not a time`, 'use ISO-8601, e.g. 2026-11-30T00:00:00Z');
    }
    const result = await withCore(cliConfig(options as unknown as Record<string, unknown>), async (ctx) => {
      const owner = await ownerOf(ctx, options);
      if (sinceMs !== null) return replaySince(ctx, owner, endpointId, sinceMs);
      await replayEvent(ctx, owner, endpointId, options.event as string);
      return { queued: 1, truncated: false };
    });
    if (options.json) return printJson(result);
    printLines([
      `Queued ${result.queued} event(s) again${result.truncated ? ' (the first 10000; replay again from the last one for more)' : ''}. ${SENT_BY_SERVER}`,
    ]);
  });
}
