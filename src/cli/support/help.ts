import type { Command } from 'commander';
import { CliError } from './fail.js';

/** Appends worked examples to a command's --help, so every command shows how it is used. */
export const withExamples = (command: Command, ...examples: string[]): Command =>
  command.addHelpText(
    'after',
    `\n${examples.length > 1 ? 'Examples' : 'Example'}:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`,
  );

/** A flag's text value, trimmed. Commander catches a missing flag, not an empty one (--name ''). */
export function requireText(value: unknown, flag: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new CliError(`${flag} must not be empty`, `give a value, e.g. ${flag} 'Acme'`);
  return text;
}
