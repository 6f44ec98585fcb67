/**
 * The demo world: one backup vendor, one MSP with a small PSA, and the links between them. Names are
 * the seed's identity (a second run finds things by name), so changing one here creates a new thing.
 */

/** A vendor service; `key` only ties it to mappings and counts below. */
export interface DemoService {
  key: string;
  name: string;
  description: string;
  category: string;
  subcategory: string;
}

/** Prices are decimal strings in the currency unit, as a PSA export writes them. */
export interface DemoProduct {
  name: string;
  unitPrice: string;
  unitCost: string;
}

/** A vendor account and the PSA company the partner maps it to (null: left unmapped on purpose). */
export interface DemoAccount {
  id: string;
  name: string;
  company: string | null;
}

export interface DemoCount {
  accountId: string;
  serviceKey: string;
  unitCount: number;
}

export const DEMO_VENDOR = {
  name: 'Northwind Backup',
  description: 'Server, endpoint and Microsoft 365 backup, billed per protected unit',
};

export const DEMO_SERVICES: DemoService[] = [
  {
    key: 'server',
    name: 'Server Backup',
    description: 'Image-level backup of one physical or virtual server',
    category: 'backup',
    subcategory: 'local backup',
  },
  {
    key: 'm365',
    name: 'Microsoft 365 Backup',
    description: 'Mailbox, OneDrive and SharePoint backup, per licensed user',
    category: 'backup',
    subcategory: 'cloud backup',
  },
  {
    key: 'archive',
    name: 'Cold Archive',
    description: 'Long-term archive storage, per started terabyte',
    category: 'backup',
    subcategory: 'data archiving',
  },
];

export const DEMO_PARTNER = { name: 'Contoso IT' };

export const DEMO_COMPANIES = ['Fabrikam, Inc.', 'Litware Ltd', 'Adventure Works', 'Tailspin Toys'];

/** The last two stay unmapped: one bills no vendor service, one is for the README's walk-through. */
export const DEMO_PRODUCTS: DemoProduct[] = [
  { name: 'Managed Server Backup', unitPrice: '45.00', unitCost: '28.00' },
  { name: 'M365 Backup (per user)', unitPrice: '4.00', unitCost: '2.10' },
  { name: 'Managed Workstation', unitPrice: '35.00', unitCost: '12.00' },
  { name: 'Endpoint Backup (per device)', unitPrice: '5.00', unitCost: '2.40' },
];

/** Account 1004 has no company in the PSA yet, so its counts wait for a mapping. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { id: '1001', name: 'Fabrikam', company: 'Fabrikam, Inc.' },
  { id: '1002', name: 'Litware', company: 'Litware Ltd' },
  { id: '1003', name: 'Adventure Works Cycles', company: 'Adventure Works' },
  { id: '1004', name: 'Wingtip Toys', company: null },
];

/** Service key → PSA product name; the archive service is left unmapped on purpose. */
export const DEMO_SERVICE_PRODUCTS: Record<string, string | null> = {
  server: 'Managed Server Backup',
  m365: 'M365 Backup (per user)',
  archive: null,
};

/** Counts for mapped pairs (accepted) and for unmapped ones (refused, then shown as waiting). */
export const DEMO_COUNTS: DemoCount[] = [
  { accountId: '1001', serviceKey: 'server', unitCount: 3 },
  { accountId: '1001', serviceKey: 'm365', unitCount: 48 },
  { accountId: '1002', serviceKey: 'server', unitCount: 1 },
  { accountId: '1002', serviceKey: 'm365', unitCount: 22 },
  { accountId: '1003', serviceKey: 'm365', unitCount: 15 },
  { accountId: '1004', serviceKey: 'm365', unitCount: 9 },
  { accountId: '1001', serviceKey: 'archive', unitCount: 2 },
];

/** The mapped pair the printed curl example sets a count for. */
export const DEMO_SAMPLE = { accountId: '1001', serviceKey: 'm365' };

/** The account left unmapped, for the walk-through's 404. */
export const DEMO_UNMAPPED_ACCOUNT_ID = '1004';
