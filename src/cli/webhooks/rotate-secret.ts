import { Command } from 'commander';
import { isoTime } from '../../core/clock.js';
import { rotateWebhookSecret } from '../../core/webhooks/rotate-secret.js';
import { cliConfig, withCore } from '../support/core.js';
import { printJson, printLines } from '../support/output.js';
import { type OwnerOptions, ownerCommand, ownerOf } from './support.js';

/** `tally webhooks rotate-secret <id>`: a new secret; the old one signs beside it for 24 hours. */
export function webhooksRotateSecretCommand(): Command {
  const command = ownerCommand(
    new Command('rotate-secret')
      .description('Issue a new signing secret (shown once); the old one keeps signing for 24 hours')
      .argument('<endpointId>', 'the endpoint'),
    'tally webhooks rotate-secret "$ENDPOINT_ID" --partner "$PARTNER_ID"',
  );
  return command.action(async (endpointId: string, options: OwnerOptions) => {
    const rotated = await withCore(cliConfig(options as Record<string, unknown>), async (ctx) =>
      rotateWebhookSecret(ctx, await ownerOf(ctx, options), endpointId),
    );
    const until = isoTime(rotated.previousSecretUntilMs ?? 0);
    if (options.json)
      return printJson({ id: rotated.id, secret: rotated.secret, previousSecretValidUntil: until });
    printLines([`New secret: ${rotated.secret}`, `The previous secret keeps signing until ${until}.`]);
  });
}
