/** What every PSA smoke script shares: credentials from the environment and one line per step. */

/** The named variables, or exit 2 saying which are missing. */
export function requireEnv<N extends string>(names: readonly N[]): Record<N, string> {
  const missing = names.filter((n) => !process.env[n]);
  if (missing.length > 0) {
    console.error(`set ${missing.join(', ')} in the environment (run with --help for what each is)`);
    process.exit(2);
  }
  return Object.fromEntries(names.map((n) => [n, process.env[n] as string])) as Record<N, string>;
}

/** Runs one read, printing "ok …" or "FAIL …" with its time; a failure sets the exit code. */
export async function step(label: string, fn: () => Promise<string>): Promise<void> {
  const started = Date.now();
  try {
    console.log(`ok   ${label}: ${await fn()} (${Date.now() - started} ms)`);
  } catch (error) {
    console.log(`FAIL ${label}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

export const allowPrivateNetwork = () => process.env.TALLY_PSA_ALLOW_PRIVATE_NETWORK === 'true';
