import { useEffect, useState } from 'preact/hooks';
import { api, type SessionInfo } from './api.js';
import { AuditPage } from './audit/audit-page.js';
import { ChangePasswordDialog } from './change-password.js';
import { BillingBoard } from './billing/board.js';
import { LedgerPage } from './ledger/ledger-page.js';
import { MappingPage } from './mapping/mapping-page.js';
import { PsaPage } from './psa/psa-page.js';
import { hrefOf, type Screen, useRoute } from './router.js';
import { VendorsPage } from './vendors/vendors-page.js';
import { WebhooksPage } from './webhooks/webhooks-page.js';

const NAV: { screen: Screen; label: string }[] = [
  { screen: 'billing', label: 'Billing' },
  { screen: 'mapping', label: 'Mapping' },
  { screen: 'vendors', label: 'Vendors' },
  { screen: 'ledger', label: 'Ledger' },
  { screen: 'audit', label: 'Audit' },
  { screen: 'psa', label: 'PSA' },
  { screen: 'webhooks', label: 'Webhooks' },
];

const skipToMain = (event: Event) => {
  event.preventDefault();
  document.getElementById('main')?.focus();
};

/** The signed-in frame: navigation, the partner's name, sign-out, and the current screen. */
export function Shell({ session, onSignedOut }: { session: SessionInfo; onSignedOut: () => void }) {
  const route = useRoute();
  const [changingPassword, setChangingPassword] = useState(false);
  // On a narrow screen the navigation and the account buttons fold into a menu.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route.screen]);
  const signOut = async () => {
    // The session is gone for this page whatever the server answers.
    await api.session.signOut().catch(() => {});
    onSignedOut();
  };

  return (
    <div class="shell">
      {/* The hash names the screen, so the skip link moves focus itself instead of changing it. */}
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class={`topbar${menuOpen ? ' menu-open' : ''}`}>
        <span class="brand">
          <span class="brand-mark" aria-hidden="true" />
          Tally
        </span>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="topbar-menu"
          onClick={() => setMenuOpen((open) => !open)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setMenuOpen(false);
          }}
        >
          Menu
        </button>
        <nav aria-label="Main" id="topbar-menu">
          <ul>
            {NAV.map((item) => (
              <li key={item.screen}>
                <a
                  href={hrefOf(item.screen)}
                  aria-current={route.screen === item.screen ? 'page' : undefined}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {session.user.name || session.user.email}
            <span class="muted"> · {session.partner.name}</span>
          </span>
          <button type="button" onClick={() => setChangingPassword(true)}>
            Change password
          </button>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.screen === 'billing' && <BillingBoard />}
        {route.screen === 'mapping' && <MappingPage integrationId={route.rest[0]} />}
        {route.screen === 'vendors' && <VendorsPage />}
        {route.screen === 'ledger' && <LedgerPage tab={route.rest[0]} />}
        {route.screen === 'audit' && <AuditPage />}
        {route.screen === 'psa' && <PsaPage />}
        {route.screen === 'webhooks' && <WebhooksPage endpointId={route.rest[0]} />}
      </main>
      {changingPassword && <ChangePasswordDialog onClose={() => setChangingPassword(false)} />}
    </div>
  );
}
