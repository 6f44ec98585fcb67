import { Command } from 'commander';
import { sendTestEvent } from '../../core/webhooks/send-test-event.js';
import { cliConfig, withCore } from '../support/core.js';
import { printJson, printLines } from '../support/output.js';
import { type OwnerOptions, ownerCommand, ownerOf, SENT_BY_SERVER } from './support.js';

/** `tally webhooks test <id>`: queues a webhook.test event for one endpoint. */
export function webhooksTestCommand(): Command {
  const command = ownerCommand(
    new Command('test')
      .description(`Queue a webhook.test event for one endpoint. ${SENT_BY_SERVER}`)
      .argument('<endpointId>', 'the endpoint'),
    'tally webhooks test "$ENDPOINT_ID" --partner "$PARTNER_ID"',
  );
  return command.action(async (endpointId: string, options: OwnerOptions) => {
    const sent = await withCore(cliConfig(options as Record<string, unknown>), async (ctx) =>
      sendTestEvent(ctx, await ownerOf(ctx, options), endpointId),
    );
    if (options.json) return printJson(sent);
    printLines([`Queued test event ${sent.eventId}. ${SENT_BY_SERVER}`]);
  });
}
