import { Command } from 'commander';
import { createPartner } from '../../core/partners/create-partner.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines, table } from '../support/output.js';

interface Options {
  name: string;
  json?: boolean;
}

/** `tally partner create`: registers an MSP and prints its partner API bearer token (shown once). */
export function partnerCreateCommand(): Command {
  const command = new Command('create')
    .description('Register a partner (an MSP) and print its bearer token for the partner API (shown once)')
    .requiredOption('--name <name>', 'the MSP’s name, as vendors will see it')
    .option('--json', 'print { partnerId, partnerToken } as JSON');
  addStoreFlags(command);
  withExamples(command, "tally partner create --name 'Contoso IT'");
  return command.action(async (options: Options) => {
    const name = requireText(options.name, '--name');
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const { partner, partnerToken } = await withCore(config, (ctx) => createPartner(ctx, { name }));
    if (options.json) return printJson({ partnerId: partner.id, partnerToken, name: partner.name });
    printLines([
      `Created partner ${partner.name}`,
      ...table([
        ['partnerId', partner.id],
        ['partnerToken', partnerToken],
      ]),
      'Use it as "Authorization: Bearer <partnerToken>" on /api/partner. Store it now: it is not shown again.',
      `Next: tally integration connect --vendor <vendorId> --partner ${partner.id}`,
    ]);
  });
}
