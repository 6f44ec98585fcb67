import { Command } from 'commander';
import { registerPartner } from '../../core/partners/register-partner.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { CliError } from '../support/fail.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines, table } from '../support/output.js';
import { userJson, userLines } from './user/print-user.js';

interface Options {
  name: string;
  userEmail?: string;
  userName?: string;
  password?: string;
  json?: boolean;
}

/** `tally partner create`: registers an MSP and prints its partner API bearer token (shown once). */
export function partnerCreateCommand(): Command {
  const command = new Command('create')
    .description('Register a partner (an MSP) and print its bearer token for the partner API (shown once)')
    .requiredOption('--name <name>', 'the MSP’s name, as vendors will see it')
    .option('--user-email <email>', 'also create the first user, who signs in to the web UI with this email')
    .option('--user-name <name>', 'that user’s display name (default: the part of the email before @)')
    .option('--password <password>', 'that user’s password (default: a generated one, printed once)')
    .option('--json', 'print { partnerId, partnerToken, user? } as JSON');
  addStoreFlags(command);
  withExamples(
    command,
    "tally partner create --name 'Contoso IT'",
    "tally partner create --name 'Contoso IT' --user-email owner@contoso.example",
  );
  return command.action(async (options: Options) => {
    const name = requireText(options.name, '--name');
    if (options.userEmail === undefined && options.password !== undefined) {
      throw new CliError('--password needs --user-email', 'name the user: --user-email someone@example.com');
    }
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const { partner, partnerToken, user } = await withCore(config, (ctx) =>
      registerPartner(ctx, {
        name,
        firstUser:
          options.userEmail === undefined
            ? undefined
            : { email: options.userEmail, name: options.userName, password: options.password },
      }),
    );
    if (options.json) {
      return printJson({
        partnerId: partner.id,
        partnerToken,
        name: partner.name,
        ...(user && { user: userJson(user) }),
      });
    }
    printLines([
      `Created partner ${partner.name}`,
      ...table([
        ['partnerId', partner.id],
        ['partnerToken', partnerToken],
      ]),
      'Use it as "Authorization: Bearer <partnerToken>" on /api/partner. Store it now: it is not shown again.',
      ...(user ? userLines(user) : []),
      `Next: tally integration connect --vendor <vendorId> --partner ${partner.id}`,
    ]);
  });
}
