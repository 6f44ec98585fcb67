import { Command } from 'commander';
import { createWebhookEndpoint } from '../../core/webhooks/create-endpoint.js';
import { cliConfig, withCore } from '../support/core.js';
import { printJson, printLines, table } from '../support/output.js';
import { endpointJson, eventList, type OwnerOptions, ownerCommand, ownerOf } from './support.js';

interface Options extends OwnerOptions {
  url: string;
  events: string[];
  description?: string;
}

/** `tally webhooks create`: registers an endpoint and prints its secret once. */
export function webhooksCreateCommand(): Command {
  const command = ownerCommand(
    new Command('create')
      .description('Create a webhook endpoint and print its signing secret (shown once)')
      .requiredOption('--url <url>', 'https URL (or http to a loopback address)')
      .requiredOption(
        '--events <types>',
        'comma-separated event types, e.g. billing.built,card.changed',
        eventList,
      )
      .option('--description <text>', 'what the endpoint is for'),
    'tally webhooks create --partner "$PARTNER_ID" --url https://billing.example.com/hooks --events billing.built,card.changed',
  );
  return command.action(async (options: Options) => {
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const endpoint = await withCore(config, async (ctx) =>
      createWebhookEndpoint(
        ctx,
        await ownerOf(ctx, options),
        { url: options.url, eventTypes: options.events, description: options.description },
        { allowPrivateNetworks: config.webhookAllowPrivateNetworks },
      ),
    );
    if (options.json) return printJson({ ...endpointJson(endpoint), secret: endpoint.secret });
    printLines([
      `Created webhook endpoint ${endpoint.id}`,
      ...table([
        ['url', endpoint.url],
        ['events', endpoint.eventTypes.join(', ')],
        ['secret', endpoint.secret],
      ]),
      'Verify deliveries with this secret (Standard Webhooks). Store it now: it is not shown again.',
    ]);
  });
}
