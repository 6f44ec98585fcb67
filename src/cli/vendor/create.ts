import { Command } from 'commander';
import { createSandboxVendor } from '../../core/sandbox/create-sandbox.js';
import { createVendor } from '../../core/vendors/create-vendor.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines, table } from '../support/output.js';

interface Options {
  name: string;
  description?: string;
  sandbox?: boolean;
  json?: boolean;
}

/** `tally vendor create`: registers a vendor and prints its API key, which is shown only this once. */
export function vendorCreateCommand(): Command {
  const command = new Command('create')
    .description('Register a vendor and print its API key (shown once; only a digest is stored)')
    .requiredOption('--name <name>', 'vendor name, as partners will see it')
    .option('--description <text>', 'one line about what the vendor sells')
    .option(
      '--sandbox',
      'a sandbox vendor: connected only to a sandbox partner made for it, with a test clock and faults',
    )
    .option('--json', 'print { vendorId, vendorKey } as JSON (with --sandbox, every key of the sandbox)');
  addStoreFlags(command);
  withExamples(
    command,
    "tally vendor create --name 'Northwind Backup' --description 'Cloud backup'",
    "tally vendor create --name 'Northwind Backup CI' --sandbox --json",
  );
  return command.action(async (options: Options) => {
    const name = requireText(options.name, '--name');
    const config = cliConfig(options as unknown as Record<string, unknown>);
    if (options.sandbox) {
      const made = await withCore(config, (ctx) =>
        createSandboxVendor(ctx, { name, description: options.description }),
      );
      const keys = {
        vendorId: made.vendor.id,
        vendorKey: made.vendorKey,
        name: made.vendor.name,
        sandbox: true,
        partnerId: made.partnerId,
        partnerToken: made.partnerToken,
        integrationId: made.integrationId,
        partnerKey: made.partnerKey,
        gradientToken: made.gradientToken,
      };
      if (options.json) return printJson(keys);
      return printLines([
        `Created sandbox vendor ${made.vendor.name}, connected to its own sandbox partner`,
        ...table(Object.entries(keys).map(([label, value]) => [label, String(value)])),
        'Store the keys now: Tally keeps only their digests and cannot show them again.',
        'Sandbox routes (test clock, faults, reset, request log) are under /api/vendor-api/sandbox.',
      ]);
    }
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
