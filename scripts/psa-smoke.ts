/**
 * Read-only smoke test against a real PSA sandbox: `npm run psa:smoke -- connectwise|halo|autotask`.
 * It makes the read requests a sync makes and writes nothing; each PSA's script says which
 * environment variables hold the credentials (`npm run psa:smoke -- halo --help`).
 * Never run in CI: it needs a real sandbox and real keys.
 */
const SCRIPTS = {
  connectwise: 'CW_SITE, CW_COMPANY_ID, CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_CLIENT_ID',
  halo: 'HALO_SITE, HALO_CLIENT_ID, HALO_CLIENT_SECRET, and HALO_AUTH_URL, HALO_TENANT when needed',
  autotask: 'AUTOTASK_USERNAME, AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE',
} as const;

const kind = process.argv[2];
if (kind === undefined || !(kind in SCRIPTS)) {
  const asked = kind === '--help' || kind === '-h';
  (asked ? console.log : console.error)(
    'usage: npm run psa:smoke -- <psa> [--help]   (reads only; never writes)',
  );
  for (const [name, vars] of Object.entries(SCRIPTS)) console.error(`  ${name.padEnd(12)} needs ${vars}`);
  process.exit(asked ? 0 : 2);
}
await import(`./psa-smoke/${kind}.ts`);

export {};
