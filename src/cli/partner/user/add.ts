import { Command } from 'commander';
import { TallyError } from '../../../core/errors.js';
import { addPartnerUser } from '../../../core/users/add-partner-user.js';
import { addStoreFlags } from '../../support/config-flags.js';
import { cliConfig, withCore } from '../../support/core.js';
import { CliError } from '../../support/fail.js';
import { requireText, withExamples } from '../../support/help.js';
import { printJson, printLines } from '../../support/output.js';
import { userJson, userLines } from './print-user.js';

interface Options {
  partner: string;
  email: string;
  name?: string;
  password?: string;
  json?: boolean;
}

/** Core failures restated with the next step to take. */
function explain(error: unknown): never {
  if (error instanceof TallyError && error.code === 'not_found') {
    throw new CliError(error.message, 'use the partnerId printed by `tally partner create`');
  }
  throw error;
}

/** `tally partner user add`: another person who signs in for a partner. */
export function partnerUserAddCommand(): Command {
  const command = new Command('add')
    .description(
      'Add a user who signs in to the web UI for a partner; prints a generated password when none is given',
    )
    .requiredOption('--partner <partnerId>', 'id printed by `tally partner create`')
    .requiredOption('--email <email>', 'the email the user signs in with')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--password <password>', 'at least 10 characters (default: a generated one, printed once)')
    .option('--json', 'print { userId, email, name, password? } as JSON');
  addStoreFlags(command);
  withExamples(command, 'tally partner user add --partner "$PARTNER_ID" --email billing@contoso.example');
  return command.action(async (options: Options) => {
    const partnerId = requireText(options.partner, '--partner');
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const created = await withCore(config, (ctx) =>
      addPartnerUser(ctx, {
        partnerId,
        email: options.email,
        name: options.name,
        password: options.password,
      }).catch(explain),
    );
    if (options.json) return printJson(userJson(created));
    printLines(userLines(created));
  });
}
