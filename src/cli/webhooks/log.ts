import { Command, InvalidArgumentError } from 'commander';
import { isoTime } from '../../core/clock.js';
import { deliveryLog } from '../../core/webhooks/delivery-log.js';
import { cliConfig, withCore } from '../support/core.js';
import { printJson, printLines } from '../support/output.js';
import { type OwnerOptions, ownerCommand, ownerOf } from './support.js';

interface Options extends OwnerOptions {
  limit: number;
}

const count = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 200)
    throw new InvalidArgumentError('Expected a number from 1 to 200.');
  return Number(value);
};

/** `tally webhooks log <id>`: the newest deliveries with their attempts. */
export function webhooksLogCommand(): Command {
  const command = ownerCommand(
    new Command('log')
      .description('Show an endpoint’s newest deliveries with every attempt (status, latency, answer)')
      .argument('<endpointId>', 'the endpoint')
      .option('--limit <n>', 'deliveries to show (1–200)', count, 20),
    'tally webhooks log "$ENDPOINT_ID" --partner "$PARTNER_ID" --limit 5',
  );
  return command.action(async (endpointId: string, options: Options) => {
    const log = await withCore(cliConfig(options as unknown as Record<string, unknown>), async (ctx) =>
      deliveryLog(ctx, await ownerOf(ctx, options), endpointId, { limit: options.limit }),
    );
    const rows = log.map(({ delivery, type, attempts }) => ({
      id: delivery.id,
      eventId: delivery.eventId,
      type,
      status: delivery.status,
      createdAt: isoTime(delivery.createdAtMs),
      attempts: attempts.map((a) => ({
        at: isoTime(a.atMs),
        statusCode: a.statusCode,
        latencyMs: a.latencyMs,
        error: a.error,
        responseSnippet: a.responseSnippet,
      })),
    }));
    if (options.json) return printJson({ deliveries: rows });
    if (rows.length === 0) return printLines(['No deliveries yet.']);
    printLines(
      rows.flatMap((r) => [
        `${r.createdAt}  ${r.type}  ${r.status}  ${r.eventId}`,
        ...r.attempts.map(
          (a) => `    ${a.at}  ${a.statusCode ?? '—'}  ${a.latencyMs} ms${a.error ? `  ${a.error}` : ''}`,
        ),
      ]),
    );
  });
}
