/**
 * The demo world: three vendors, one MSP with about thirty customers, and the links between them.
 * Names are the seed's identity (a second run finds things by name), so changing one here creates a
 * new thing. The quantities are made up but fixed, so every run shows the same board.
 */

/** A vendor service and the PSA product the partner maps it to (null: left unmapped on purpose). */
export interface DemoService {
  /** Ties the service to counts below; not stored. */
  key: string;
  name: string;
  description: string;
  category: string;
  subcategory: string;
  product: string | null;
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

export interface DemoVendor {
  name: string;
  description: string;
  services: DemoService[];
  accounts: DemoAccount[];
  counts: DemoCount[];
}

/** A line of the partner's "Managed Services" agreement with a company. */
export interface DemoLine {
  company: string;
  product: string;
  quantity: number;
}

export const DEMO_PARTNER = { name: 'Contoso IT' };

/** The person who signs in to the web UI; the password is made (again) on every run. */
export const DEMO_USER = { email: 'demo@contoso.example', name: 'Dana (demo)' };

/** The agreement each company's lines are seeded into. */
export const DEMO_AGREEMENT = 'Managed Services';

export const DEMO_COMPANIES = [
  'Fabrikam, Inc.',
  'Litware Ltd',
  'Adventure Works',
  'Tailspin Toys',
  'Wingtip Toys',
  'Alpine Ski House',
  'Blue Yonder Airlines',
  'City Power & Light',
  'Coho Winery',
  'Consolidated Messenger',
  'Fourth Coffee',
  'Graphic Design Institute',
  'Humongous Insurance',
  'Lamna Healthcare',
  'Lucerne Publishing',
  "Margie's Travel",
  'Northwind Traders',
  'Proseware, Inc.',
  'Relecloud',
  'School of Fine Art',
  'Southridge Video',
  'Trey Research',
  'VanArsdel, Ltd.',
  'Woodgrove Bank',
  'Wide World Importers',
  'Bellows College',
  'Best For You Organics',
  'First Up Consultants',
  "Munson's Pickles and Preserves",
  'Nod Publishers',
];

/** "Managed Workstation" bills no vendor service; "Endpoint Backup" is for the README's walk-through. */
export const DEMO_PRODUCTS: DemoProduct[] = [
  { name: 'Managed Server Backup', unitPrice: '45.00', unitCost: '28.00' },
  { name: 'M365 Backup (per user)', unitPrice: '4.00', unitCost: '2.10' },
  { name: 'Managed Workstation', unitPrice: '35.00', unitCost: '12.00' },
  { name: 'Endpoint Backup (per device)', unitPrice: '5.00', unitCost: '2.40' },
  { name: 'Managed EDR (per device)', unitPrice: '6.50', unitCost: '3.20' },
  { name: 'Email Security (per mailbox)', unitPrice: '3.00', unitCost: '1.10' },
];

/** A fixed, uneven spread of seat counts: n-th customer, between `low` and `low + span`. */
const seats = (n: number, low: number, span: number): number => low + ((n * 37 + 11) % (span + 1));

/** Accounts named exactly like PSA companies, with ids `<prefix><n>`, for companies `from`…`to`. */
const namedAccounts = (prefix: string, from: number, to: number): DemoAccount[] =>
  DEMO_COMPANIES.slice(from, to).map((company, i) => ({
    id: `${prefix}${String(from + i + 1).padStart(2, '0')}`,
    name: company,
    company,
  }));

/** Northwind's first four accounts are the README's: 1004 stays unmapped, so its counts wait. */
const NORTHWIND_ACCOUNTS: DemoAccount[] = [
  { id: '1001', name: 'Fabrikam', company: 'Fabrikam, Inc.' },
  { id: '1002', name: 'Litware', company: 'Litware Ltd' },
  { id: '1003', name: 'Adventure Works Cycles', company: 'Adventure Works' },
  { id: '1004', name: 'Wingtip Toys', company: null },
  ...DEMO_COMPANIES.slice(5, 14).map((company, i) => ({ id: String(1005 + i), name: company, company })),
];

const northwindCounts = (): DemoCount[] => [
  { accountId: '1001', serviceKey: 'server', unitCount: 3 },
  { accountId: '1001', serviceKey: 'm365', unitCount: 48 },
  { accountId: '1002', serviceKey: 'server', unitCount: 1 },
  { accountId: '1002', serviceKey: 'm365', unitCount: 22 },
  { accountId: '1003', serviceKey: 'm365', unitCount: 15 },
  { accountId: '1004', serviceKey: 'm365', unitCount: 9 },
  { accountId: '1001', serviceKey: 'archive', unitCount: 2 },
  ...NORTHWIND_ACCOUNTS.slice(4).flatMap((a, n) => [
    { accountId: a.id, serviceKey: 'm365', unitCount: seats(n, 8, 60) },
    ...(n % 3 === 0 ? [{ accountId: a.id, serviceKey: 'server', unitCount: 1 + (n % 4) }] : []),
  ]),
];

/** The last two Woodgrove accounts are left unmapped: their names match companies, so they are suggested. */
const WOODGROVE_ACCOUNTS: DemoAccount[] = namedAccounts('WG-', 9, 25).map((a, i, all) =>
  i >= all.length - 2 ? { ...a, company: null } : a,
);

const PROSEWARE_ACCOUNTS: DemoAccount[] = [
  ...namedAccounts('PM-', 0, 4),
  ...namedAccounts('PM-', 17, 30).map((a) => (a.company === 'Nod Publishers' ? { ...a, company: null } : a)),
];

export const DEMO_VENDORS: DemoVendor[] = [
  {
    name: 'Northwind Backup',
    description: 'Server, endpoint and Microsoft 365 backup, billed per protected unit',
    services: [
      {
        key: 'server',
        name: 'Server Backup',
        description: 'Image-level backup of one physical or virtual server',
        category: 'backup',
        subcategory: 'local backup',
        product: 'Managed Server Backup',
      },
      {
        key: 'm365',
        name: 'Microsoft 365 Backup',
        description: 'Mailbox, OneDrive and SharePoint backup, per licensed user',
        category: 'backup',
        subcategory: 'cloud backup',
        product: 'M365 Backup (per user)',
      },
      {
        key: 'archive',
        name: 'Cold Archive',
        description: 'Long-term archive storage, per started terabyte',
        category: 'backup',
        subcategory: 'data archiving',
        product: null,
      },
    ],
    accounts: NORTHWIND_ACCOUNTS,
    counts: northwindCounts(),
  },
  {
    name: 'Woodgrove Endpoint Security',
    description: 'Managed detection and response for laptops, desktops and servers, per device',
    services: [
      {
        key: 'edr',
        name: 'Managed EDR',
        description: 'Endpoint detection and response with a 24/7 analyst team',
        category: 'security',
        subcategory: 'endpoint protection',
        product: 'Managed EDR (per device)',
      },
    ],
    accounts: WOODGROVE_ACCOUNTS,
    counts: WOODGROVE_ACCOUNTS.map((a, n) => ({
      accountId: a.id,
      serviceKey: 'edr',
      unitCount: seats(n, 12, 90),
    })),
  },
  {
    name: 'Proseware Mail Protection',
    description: 'Inbound filtering and phishing protection for Microsoft 365 and Google mailboxes',
    services: [
      {
        key: 'mail',
        name: 'Mailbox Protection',
        description: 'Spam, malware and phishing filtering, per protected mailbox',
        category: 'security',
        subcategory: 'email security',
        product: 'Email Security (per mailbox)',
      },
    ],
    accounts: PROSEWARE_ACCOUNTS,
    counts: PROSEWARE_ACCOUNTS.map((a, n) => ({
      accountId: a.id,
      serviceKey: 'mail',
      unitCount: seats(n + 3, 6, 70),
    })),
  },
];

/**
 * What the partner bills, made from the mapped counts with deliberate mistakes: of every six
 * (company, product) pairs one has no line (new revenue), one bills two too few, one three too many,
 * and three match.
 */
function demoLines(): DemoLine[] {
  const products = new Map(
    DEMO_VENDORS.flatMap((v) => v.services.map((s) => [`${v.name}/${s.key}`, s.product])),
  );
  const companies = new Map(
    DEMO_VENDORS.flatMap((v) => v.accounts.map((a) => [`${v.name}/${a.id}`, a.company])),
  );
  const sums = new Map<string, DemoLine>();
  for (const vendor of DEMO_VENDORS) {
    for (const count of vendor.counts) {
      const company = companies.get(`${vendor.name}/${count.accountId}`);
      const product = products.get(`${vendor.name}/${count.serviceKey}`);
      if (!company || !product) continue;
      const key = `${company}/${product}`;
      const line = sums.get(key) ?? { company, product, quantity: 0 };
      sums.set(key, { ...line, quantity: line.quantity + count.unitCount });
    }
  }
  return [...sums.values()].flatMap((line, n): DemoLine[] => {
    if (n % 6 === 0) return [];
    if (n % 6 === 1) return [{ ...line, quantity: Math.max(0, line.quantity - 2) }];
    if (n % 6 === 2) return [{ ...line, quantity: line.quantity + 3 }];
    return [line];
  });
}

export const DEMO_LINES: DemoLine[] = demoLines();

/** The vendor, mapped pair and unmapped account the printed curl example and README use. */
export const DEMO_SAMPLE = { vendor: 'Northwind Backup', accountId: '1001', serviceKey: 'm365' };
export const DEMO_UNMAPPED_ACCOUNT_ID = '1004';
