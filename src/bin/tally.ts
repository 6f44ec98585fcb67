/**
 * The `tally` command line: parses argv, runs one command, and turns any failure into a message on
 * stderr and a non-zero exit code.
 */
import { buildProgram } from '../cli/program.js';
import { reportFailure } from '../cli/support/fail.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  reportFailure(error);
  process.exitCode = 1;
}
