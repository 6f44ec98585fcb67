import { hrefOf } from '../router.js';
import { CompaniesTab } from './companies.js';
import { ImportTab } from './import-tab.js';
import { LinesTab } from './lines.js';
import { ProductsTab } from './products.js';

const TABS = [
  { id: 'companies', label: 'Companies' },
  { id: 'products', label: 'Products' },
  { id: 'lines', label: 'Agreement lines' },
  { id: 'import', label: 'Import CSV' },
] as const;

/** The PSA picture Tally reconciles against: companies, products with prices, agreement lines. */
export function LedgerPage({ tab }: { tab?: string }) {
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  return (
    <section aria-labelledby="ledger-title" class="ledger">
      <div class="page-head">
        <h1 id="ledger-title">PSA ledger</h1>
        <nav aria-label="Ledger" class="tabs">
          {TABS.map((t) => (
            <a
              key={t.id}
              href={hrefOf('ledger', t.id)}
              aria-current={t.id === current.id ? 'page' : undefined}
            >
              {t.label}
            </a>
          ))}
        </nav>
      </div>
      {current.id === 'companies' && <CompaniesTab />}
      {current.id === 'products' && <ProductsTab />}
      {current.id === 'lines' && <LinesTab />}
      {current.id === 'import' && <ImportTab />}
    </section>
  );
}
