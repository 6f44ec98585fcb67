import { Command } from 'commander';
import { gradientToken, hashKey } from '../../core/auth/keys.js';
import type { CoreContext } from '../../core/context.js';
import { TallyError } from '../../core/errors.js';
import { connectIntegration } from '../../core/integrations/connect.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { CliError } from '../support/fail.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines, table } from '../support/output.js';

interface Options {
  vendor: string;
  partner: string;
  vendorKey?: string;
  json?: boolean;
}

/** The GRADIENT-TOKEN formula, for when the vendor key is not at hand. */
const recipeFor = (partnerKey: string): string => `base64("<vendorKey>:${partnerKey}")`;

/** A shell line that computes the token from a VENDOR_KEY variable, with nothing but Node. */
const shellRecipe = (partnerKey: string): string =>
  `node -p 'Buffer.from(process.argv[1]).toString("base64")' "$VENDOR_KEY:${partnerKey}"`;

/** The vendor key is optional, but a wrong one must not produce a token that silently fails. */
async function checkVendorKey(ctx: CoreContext, vendorId: string, vendorKey: string): Promise<void> {
  const owner = await ctx.store.findVendorByKeyHash(hashKey(vendorKey));
  if (owner?.id !== vendorId) {
    throw new CliError(
      `--vendor-key is not the API key of vendor ${vendorId}`,
      'pass the key `tally vendor create` printed for that vendor, or leave --vendor-key out to get the token recipe',
    );
  }
}

/** Core failures restated with the next step to take. */
function explain(error: unknown): never {
  if (error instanceof TallyError && error.code === 'not_found') {
    throw new CliError(
      error.message,
      'use the ids printed by `tally vendor create` and `tally partner create` (or `tally demo --json`)',
    );
  }
  if (error instanceof TallyError && error.code === 'conflict') {
    throw new CliError(
      error.message,
      'each vendor connects to a partner once; the existing integration stays',
    );
  }
  throw error;
}

/** `tally integration connect`: links a vendor to a partner and prints the partner key. */
export function integrationConnectCommand(): Command {
  const command = new Command('connect')
    .description(
      'Connect a vendor to a partner: creates the integration and prints its partner key (shown once) ' +
        'and the GRADIENT-TOKEN, or its recipe when the vendor key is not given',
    )
    .requiredOption('--vendor <vendorId>', 'id printed by `tally vendor create`')
    .requiredOption('--partner <partnerId>', 'id printed by `tally partner create`')
    .option('--vendor-key <vendorKey>', "the vendor's API key, to print a ready GRADIENT-TOKEN")
    .option('--json', 'print { integrationId, partnerKey, gradientToken? } as JSON');
  addStoreFlags(command);
  withExamples(
    command,
    'tally integration connect --vendor 65f1c0de0000000000000001 --partner 65f1c0de0000000000000002',
    'tally integration connect --vendor "$VENDOR_ID" --partner "$PARTNER_ID" --vendor-key "$VENDOR_KEY" --json',
  );
  return command.action(async (options: Options) => {
    const vendorId = requireText(options.vendor, '--vendor');
    const partnerId = requireText(options.partner, '--partner');
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const { integration, partnerKey } = await withCore(config, async (ctx) => {
      if (options.vendorKey !== undefined) await checkVendorKey(ctx, vendorId, options.vendorKey);
      return connectIntegration(ctx, { vendorId, partnerId }).catch(explain);
    });
    const token = options.vendorKey === undefined ? undefined : gradientToken(options.vendorKey, partnerKey);
    if (options.json) {
      return printJson({
        integrationId: integration.id,
        vendorId,
        partnerId,
        partnerKey,
        ...(token ? { gradientToken: token } : { gradientTokenRecipe: recipeFor(partnerKey) }),
      });
    }
    printLines([
      `Connected vendor ${vendorId} to partner ${partnerId}`,
      ...table([
        ['integrationId', integration.id],
        ['partnerKey', partnerKey],
        ['GRADIENT-TOKEN', token ?? recipeFor(partnerKey)],
      ]),
      ...(token
        ? []
        : ['Compute the token with the vendor key in $VENDOR_KEY:', `  ${shellRecipe(partnerKey)}`]),
      'Store the partner key now: Tally keeps only its digest and cannot show it again.',
    ]);
  });
}
