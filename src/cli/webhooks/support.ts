import { type Command, Option } from 'commander';
import { isoTime } from '../../core/clock.js';
import type { CoreContext } from '../../core/context.js';
import type { EndpointOwner } from '../../core/webhooks/owner.js';
import type { WebhookEndpoint } from '../../core/webhooks/store.js';
import { addStoreFlags } from '../support/config-flags.js';
import { CliError } from '../support/fail.js';
import { withExamples } from '../support/help.js';

export interface OwnerOptions {
  partner?: string;
  vendor?: string;
  json?: boolean;
}

/** Adds --partner/--vendor (whose endpoints), --json and the store flags. */
export function ownerCommand(command: Command, ...examples: string[]): Command {
  command
    .addOption(new Option('--partner <id>', 'a partner’s endpoints').conflicts('vendor'))
    .addOption(new Option('--vendor <id>', 'a vendor’s endpoints (the vendor API extension)'))
    .option('--json', 'print JSON');
  addStoreFlags(command);
  return withExamples(command, ...examples);
}

/** The owner the flags name, checked to exist. */
export async function ownerOf(ctx: CoreContext, options: OwnerOptions): Promise<EndpointOwner> {
  if (options.partner) {
    if (!(await ctx.store.getPartner(options.partner)))
      throw new CliError(`no partner with id ${options.partner}`);
    return { kind: 'partner', id: options.partner };
  }
  if (options.vendor) {
    if (!(await ctx.store.getVendor(options.vendor)))
      throw new CliError(`no vendor with id ${options.vendor}`);
    return { kind: 'vendor', id: options.vendor };
  }
  throw new CliError('say whose endpoints: --partner <id> or --vendor <id>');
}

/** An endpoint as the CLI prints it with --json (never the secret). */
export const endpointJson = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  eventTypes: e.eventTypes,
  description: e.description,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  createdAt: isoTime(e.createdAtMs),
});

/** The comma-separated list of --events. */
export const eventList = (value: string): string[] =>
  value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

/** Deliveries queued here are sent by a running `tally serve` on the same database. */
export const SENT_BY_SERVER = 'Deliveries are sent by a running `tally serve` on this database.';
