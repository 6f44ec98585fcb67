/** The OpenAPI tags of every route, each in one of the three APIs. */
export const API_GROUPS = ['Vendor API', 'Partner API', 'Admin API'] as const;
export type ApiGroup = (typeof API_GROUPS)[number];

export const API_TAGS: { name: string; group: ApiGroup; description: string }[] = [
  { name: 'Vendor', group: 'Vendor API', description: 'The vendor itself (GRADIENT-TOKEN, vendor half)' },
  { name: 'Services', group: 'Vendor API', description: "The vendor's service catalogue (SKUs)" },
  { name: 'Counts', group: 'Vendor API', description: 'Set unit count, and building the billing view now' },
  { name: 'Integration', group: 'Vendor API', description: "The vendor's link to one partner" },
  { name: 'Accounts', group: 'Vendor API', description: "The partner's customers as the vendor knows them" },
  {
    name: 'Organization services',
    group: 'Vendor API',
    description: 'Services visible to one partner, with ids the vendor chooses',
  },
  { name: 'Alerts', group: 'Vendor API', description: 'Alerts that become tickets on the partner side' },
  {
    name: 'Sandbox',
    group: 'Vendor API',
    description:
      'Tally extension, not part of the Synthesize API: the test clock, faults, reset, request log and cards of a ' +
      'sandbox vendor (404 for other vendors)',
  },
  {
    name: 'Vendor: webhooks (Tally extension)',
    group: 'Vendor API',
    description: "Endpoints that receive events of the vendor's integrations; not part of the Synthesize API",
  },
  { name: 'Partner: session', group: 'Partner API', description: 'Sign-in for the web UI' },
  {
    name: 'Partner: billing',
    group: 'Partner API',
    description: 'Billing cards, decisions and the audit log',
  },
  { name: 'Partner: integrations', group: 'Partner API', description: 'Connected vendors and mappings' },
  { name: 'Partner: counts', group: 'Partner API', description: 'The history of every count' },
  {
    name: 'Partner: settings',
    group: 'Partner API',
    description: "The partner's settings, such as its currency",
  },
  {
    name: 'Partner: PSA',
    group: 'Partner API',
    description: 'The PSA ledger: companies, products, agreements',
  },
  {
    name: 'Partner: PSA connection',
    group: 'Partner API',
    description: "The partner's PSA (ConnectWise PSA): connect, sync, and the quantities written back",
  },
  {
    name: 'Partner: webhooks',
    group: 'Partner API',
    description: 'Endpoints that receive signed events (Standard Webhooks), their delivery log and replay',
  },
  { name: 'Admin', group: 'Admin API', description: "The operator's jobs, behind TALLY_ADMIN_TOKEN" },
];
