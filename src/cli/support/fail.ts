import { inspect } from 'node:util';
import { TallyError } from '../../core/errors.js';
import { StoreOpenError } from '../../storage/sqlite/open-error.js';

/** A failure the user can fix; `hint` says how. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Prints a failure to stderr in a form that says what to do next. */
export function reportFailure(error: unknown): void {
  if (error instanceof CliError || error instanceof StoreOpenError) {
    process.stderr.write(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
  } else if (error instanceof TallyError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else if (error instanceof Error && error.message.startsWith('Invalid configuration')) {
    process.stderr.write(
      `error: ${error.message}\nhint: fix the flag or environment variable named above; ` +
        '`tally config show` lists every setting.\n',
    );
  } else {
    // Not a failure we foresaw: the stack is the most useful thing to show.
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : inspect(error)}\n`,
    );
  }
}
