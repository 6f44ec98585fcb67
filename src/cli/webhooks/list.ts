import { Command } from 'commander';
import { cliConfig, withCore } from '../support/core.js';
import { printJson, printLines } from '../support/output.js';
import { endpointJson, type OwnerOptions, ownerCommand, ownerOf } from './support.js';

/** `tally webhooks list`: a partner's or vendor's endpoints. */
export function webhooksListCommand(): Command {
  const command = ownerCommand(
    new Command('list').description('List webhook endpoints (secrets are never shown again)'),
    'tally webhooks list --partner "$PARTNER_ID"',
  );
  return command.action(async (options: OwnerOptions) => {
    const endpoints = await withCore(cliConfig(options as Record<string, unknown>), async (ctx) => {
      const owner = await ownerOf(ctx, options);
      return ctx.store.listWebhookEndpoints(owner.kind, owner.id);
    });
    if (options.json) return printJson({ endpoints: endpoints.map(endpointJson) });
    if (endpoints.length === 0) return printLines(['No webhook endpoints.']);
    printLines(
      endpoints.map(
        (e) =>
          `${e.id}  ${e.enabled ? 'enabled ' : 'disabled'}  ${e.url}  [${e.eventTypes.join(', ')}]` +
          (e.disabledReason ? `  (${e.disabledReason})` : ''),
      ),
    );
  });
}
