import { Command } from 'commander';
import { createVendor } from '../../core/vendors/create-vendor.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines, table } from '../support/output.js';

interface Options {
  name: string;
  description?: string;
  json?: boolean;
}

/** `tally vendor create`: registers a vendor and prints its API key, which is shown only this once. */
export function vendorCreateCommand(): Command {
  const command = new Command('create')
    .description('Register a vendor and print its API key (shown once; only a digest is stored)')
    .requiredOption('--name <name>', 'vendor name, as partners will see it')
    .option('--description <text>', 'one line about what the vendor sells')
    .option('--json', 'print { vendorId, vendorKey } as JSON');
  addStoreFlags(command);
  withExamples(command, "tally vendor create --name 'Northwind Backup' --description 'Cloud backup'");
  return command.action(async (options: Options) => {
    const name = requireText(options.name, '--name');
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const { vendor, vendorKey } = await withCore(config, (ctx) =>
      createVendor(ctx, { name, description: options.description }),
    );
    if (options.json) return printJson({ vendorId: vendor.id, vendorKey, name: vendor.name });
    printLines([
      `Created vendor ${vendor.name}`,
      ...table([
        ['vendorId', vendor.id],
        ['vendorKey', vendorKey],
      ]),
      'Store the vendor key now: Tally keeps only its digest and cannot show it again.',
      `Next: tally integration connect --vendor ${vendor.id} --partner <partnerId> --vendor-key <vendorKey>`,
    ]);
  });
}
