import type { DemoSeed } from './demo/seed-demo.js';
import { table } from './support/output.js';

/** What `tally demo` prints; --json prints exactly this object. */
export interface DemoSummary {
  baseUrl: string;
  docsUrl: string;
  database: string;
  vendorId: string;
  vendorKey: string;
  partnerId: string;
  partnerToken: string;
  integrationId: string;
  partnerKey: string;
  gradientToken: string;
  /** A mapped service and account: a count for them is accepted. */
  serviceId: string;
  accountId: string;
  /** An account the partner has not mapped: a count for it answers 404. */
  unmappedAccountId: string;
  /** A ready command that sets a count. */
  curl: string;
  /** The web UI sign-in; the password is new on every run. */
  partnerEmail: string;
  partnerPassword: string;
  /** Every demo vendor with its integration and ready GRADIENT-TOKEN (the first is the one above). */
  vendors: { name: string; vendorId: string; integrationId: string; gradientToken: string }[];
}

/** The example count request, in pieces so it prints on one line (JSON) or several (terminal). */
const curlParts = (baseUrl: string, token: string, serviceId: string, accountId: string): string[] => [
  `curl -sS -X POST "${baseUrl}/api/vendor-api/service/${serviceId}/count"`,
  `-H "GRADIENT-TOKEN: ${token}"`,
  '-H "Content-Type: application/json"',
  `-d '{"accountId":"${accountId}","unitCount":50}'`,
];

/** Flattens the seed into the newcomer's cheat sheet. */
export function demoSummary(seed: DemoSeed, baseUrl: string, database: string): DemoSummary {
  const { serviceId, accountId } = seed.sample;
  const curl = curlParts(baseUrl, seed.gradientToken, serviceId, accountId).join(' ');
  return {
    baseUrl,
    docsUrl: `${baseUrl}/api-docs`,
    database,
    vendorId: seed.vendor.id,
    vendorKey: seed.vendorKey,
    partnerId: seed.partner.id,
    partnerToken: seed.partnerToken,
    integrationId: seed.integration.id,
    partnerKey: seed.partnerKey,
    gradientToken: seed.gradientToken,
    serviceId,
    accountId,
    unmappedAccountId: seed.unmappedAccountId,
    curl,
    partnerEmail: seed.partnerEmail,
    partnerPassword: seed.partnerPassword,
    vendors: seed.vendors.map((v) => ({
      name: v.vendor.name,
      vendorId: v.vendor.id,
      integrationId: v.integration.id,
      gradientToken: v.gradientToken,
    })),
  };
}

const serviceName = (seed: DemoSeed, id: string): string =>
  Object.values(seed.services).find((service) => service.id === id)?.name ?? `service ${id}`;

/** The same facts for a person, one section per role. */
export function demoText(s: DemoSummary, seed: DemoSeed): string[] {
  return [
    `Tally demo data is ready in ${s.database}.`,
    '',
    `Open ${s.baseUrl}/ and sign in as the MSP's billing person:`,
    ...table([
      ['email', s.partnerEmail],
      ['password', s.partnerPassword],
    ]),
    '',
    ...table([
      ['Base URL', s.baseUrl],
      ['API docs', s.docsUrl],
    ]),
    '',
    `Vendor ${seed.vendor.name} — sends counts with the GRADIENT-TOKEN header`,
    ...table([
      ['vendorId', s.vendorId],
      ['vendorKey', s.vendorKey],
      ['GRADIENT-TOKEN', s.gradientToken],
    ]),
    '',
    `Partner ${seed.partner.name} — maps and bills, with "Authorization: Bearer <partnerToken>"`,
    ...table([
      ['partnerId', s.partnerId],
      ['partnerToken', s.partnerToken],
      ['integrationId', s.integrationId],
      ['partnerKey', s.partnerKey],
    ]),
    '',
    `Set a count of ${serviceName(seed, s.serviceId)} for account ${s.accountId}:`,
    `  ${curlParts(s.baseUrl, s.gradientToken, s.serviceId, s.accountId).join(' \\\n      ')}`,
    '',
    `Account ${s.unmappedAccountId} and the Cold Archive service are left unmapped: counts for them answer 404.`,
    `The other vendors (${s.vendors
      .slice(1)
      .map((v) => v.name)
      .join(', ')}) are connected too; \`tally demo --json\` prints their tokens.`,
    'Running the demo again keeps the data and reissues these keys and the password; the ones above then stop working.',
  ];
}
