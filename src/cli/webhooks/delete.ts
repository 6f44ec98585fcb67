import { Command } from 'commander';
import { deleteWebhookEndpoint } from '../../core/webhooks/delete-endpoint.js';
import { cliConfig, withCore } from '../support/core.js';
import { printJson, printLines } from '../support/output.js';
import { type OwnerOptions, ownerCommand, ownerOf } from './support.js';

/** `tally webhooks delete <id>`. */
export function webhooksDeleteCommand(): Command {
  const command = ownerCommand(
    new Command('delete')
      .description('Delete a webhook endpoint with its queued deliveries and log')
      .argument('<endpointId>', 'the endpoint'),
    'tally webhooks delete "$ENDPOINT_ID" --partner "$PARTNER_ID"',
  );
  return command.action(async (endpointId: string, options: OwnerOptions) => {
    await withCore(cliConfig(options as Record<string, unknown>), async (ctx) =>
      deleteWebhookEndpoint(ctx, await ownerOf(ctx, options), endpointId),
    );
    if (options.json) return printJson({ deleted: endpointId });
    printLines([`Deleted ${endpointId}`]);
  });
}
