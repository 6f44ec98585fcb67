import { Command } from 'commander';
import { updateWebhookEndpoint } from '../../core/webhooks/update-endpoint.js';
import { cliConfig, withCore } from '../support/core.js';
import { CliError } from '../support/fail.js';
import { printJson, printLines } from '../support/output.js';
import { endpointJson, eventList, type OwnerOptions, ownerCommand, ownerOf } from './support.js';

interface Options extends OwnerOptions {
  url?: string;
  events?: string[];
  description?: string;
  enable?: boolean;
  disable?: boolean;
}

/** `tally webhooks update <id>`: changes the URL, events or description, or disables/enables. */
export function webhooksUpdateCommand(): Command {
  const command = ownerCommand(
    new Command('update')
      .description('Change a webhook endpoint, or disable or enable it')
      .argument('<endpointId>', 'the endpoint')
      .option('--url <url>', 'new URL')
      .option('--events <types>', 'new comma-separated event types', eventList)
      .option('--description <text>', 'new description')
      .option('--disable', 'stop deliveries (they wait until enabled)')
      .option('--enable', 'resume deliveries and forget past failures'),
    'tally webhooks update "$ENDPOINT_ID" --partner "$PARTNER_ID" --disable',
    'tally webhooks update "$ENDPOINT_ID" --partner "$PARTNER_ID" --events billing.built',
  );
  return command.action(async (endpointId: string, options: Options) => {
    if (options.enable && options.disable) throw new CliError('--enable and --disable exclude each other');
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const endpoint = await withCore(config, async (ctx) =>
      updateWebhookEndpoint(
        ctx,
        await ownerOf(ctx, options),
        endpointId,
        {
          url: options.url,
          eventTypes: options.events,
          description: options.description,
          enabled: options.enable ? true : options.disable ? false : undefined,
        },
        { allowPrivateNetworks: config.webhookAllowPrivateNetworks },
      ),
    );
    if (options.json) return printJson(endpointJson(endpoint));
    printLines([`Updated ${endpoint.id}: ${endpoint.enabled ? 'enabled' : 'disabled'}, ${endpoint.url}`]);
  });
}
