import { Command } from 'commander';
import type { CreatedSandbox } from '../core/sandbox/create-sandbox.js';
import { openNamedSandbox } from '../core/sandbox/open-sandbox.js';
import { resetSandbox } from '../core/sandbox/reset-sandbox.js';
import { addServerFlags, addStoreFlags } from './support/config-flags.js';
import { cliConfig, databaseLabel, withCore } from './support/core.js';
import { requireText, withExamples } from './support/help.js';
import { note, printJson, printLines, table } from './support/output.js';
import { baseUrlOf, runServer } from './support/run-server.js';

interface Options {
  name: string;
  userEmail?: string;
  reset?: boolean;
  serve: boolean;
  json?: boolean;
}

const DEFAULT_NAME = 'Sandbox Vendor';

/** What a vendor needs to point its integration (or its CI) at the sandbox. */
const summary = (made: CreatedSandbox & { created: boolean }, baseUrl: string, database: string) => ({
  baseUrl,
  docsUrl: `${baseUrl}/api-docs`,
  database,
  created: made.created,
  vendorId: made.vendor.id,
  vendorName: made.vendor.name,
  vendorKey: made.vendorKey,
  integrationId: made.integrationId,
  partnerKey: made.partnerKey,
  gradientToken: made.gradientToken,
  partnerId: made.partnerId,
  partnerToken: made.partnerToken,
  ...(made.user && { partnerEmail: made.user.email, partnerPassword: made.user.password }),
});

function text(s: ReturnType<typeof summary>): string[] {
  return [
    `${s.created ? 'Created' : 'Reopened'} the sandbox vendor ${s.vendorName} (its data is kept; keys are new)`,
    ...table([
      ['base URL', s.baseUrl],
      ['GRADIENT-TOKEN', s.gradientToken],
      ['vendorKey', s.vendorKey],
      ['partnerToken', s.partnerToken],
      ['API docs', s.docsUrl],
      ...(s.partnerEmail === undefined
        ? []
        : ([
            ['web UI', `${s.baseUrl}/`],
            ['sign in as', s.partnerEmail],
            ['password', s.partnerPassword ?? '(the one you gave)'],
          ] as [string, string][])),
    ]),
    '',
    'Accounts and services you create are mapped at once, so counts build cards straight away.',
    'Try:',
    `  curl -s ${s.baseUrl}/api/vendor-api/sandbox/clock -H "GRADIENT-TOKEN: ${s.gradientToken}"`,
    `  curl -s -X POST ${s.baseUrl}/api/vendor-api/sandbox/clock/advance -H "GRADIENT-TOKEN: ${s.gradientToken}" \\`,
    `    -H "Content-Type: application/json" -d '{"seconds":30}'`,
  ];
}

/** `tally sandbox`: a ready vendor sandbox (test clock, faults, request log) in one command. */
export function sandboxCommand(): Command {
  const command = new Command('sandbox')
    .description(
      'Make (or reopen, by name) a sandbox vendor with its own sandbox partner, print its GRADIENT-TOKEN, ' +
        'and serve. Its integration has a test clock, fault injection, reset and a request log under ' +
        '/api/vendor-api/sandbox, and never touches a real partner',
    )
    .option('--name <name>', `sandbox vendor name (default "${DEFAULT_NAME}")`, DEFAULT_NAME)
    .option(
      '--user-email <email>',
      "also a web UI user for the sandbox partner, to watch the sandbox's cards",
    )
    .option('--reset', 'empty the sandbox first (keys are reissued either way)')
    .option('--no-serve', 'only make or reopen the sandbox and print its keys')
    .option('--json', 'print the keys and ids as one JSON object');
  addStoreFlags(command);
  addServerFlags(command);
  withExamples(
    command,
    'tally sandbox',
    'tally sandbox --json --port 0 --db /tmp/sandbox.db',
    "tally sandbox --name 'Acme Backup CI' --reset --no-serve",
  );
  return command.action(async (options: Options) => {
    const name = requireText(options.name, '--name');
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const database = databaseLabel(config);
    note(`Opening the sandbox "${name}" in ${database}`);
    const made = await withCore(config, async (ctx) => {
      const opened = await openNamedSandbox(ctx, { name, userEmail: options.userEmail });
      if (options.reset) {
        const sandbox = await ctx.store.findSandboxOfVendor(opened.vendor.id);
        if (sandbox) await resetSandbox(ctx, sandbox);
        note('  emptied it');
      }
      return opened;
    });
    const print = (baseUrl: string) => {
      const s = summary(made, baseUrl, database);
      if (options.json) printJson(s);
      else printLines(text(s));
    };
    if (!options.serve) return print(baseUrlOf(config.host, config.port));
    // Printed once the port is bound, so the URL is the real one (also with --port 0).
    await runServer(config, ({ baseUrl }) => print(baseUrl));
  });
}
