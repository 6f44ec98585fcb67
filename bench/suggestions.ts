/**
 * Mapping suggestions for a large partner: one page of unmapped vendor accounts against a ledger of
 * many companies. The baseline, measured in the same run, is the comparison Tally made before (every
 * account against every company, letter pairs worked out again for each pair).
 *   node --import tsx bench/suggestions.ts [--companies N] [--accounts N]
 */
import { parseArgs } from 'node:util';
import { createAccounts } from '../src/core/accounts/create-items.js';
import { nameSimilarity, normaliseName } from '../src/core/mappings/name-match.js';
import { DEFAULT_MIN_SCORE, suggestMappings } from '../src/core/mappings/suggestions.js';
import { openSqliteStore } from '../src/storage/sqlite/open.js';
import { contextFor, fmt, seedMapped } from './support.js';

export interface SuggestionsResult {
  companies: number;
  accounts: number;
  seconds: number;
  baselineSeconds: number;
  near: number;
}

const CONSONANTS = 'bcdfghjklmnprstvwz';
const VOWELS = 'aeiouy';
/** Consonant-vowel syllables, some closed: about as many distinct letter pairs as real names have. */
const SYLLABLES = [...CONSONANTS].flatMap((c) =>
  [...VOWELS].flatMap((v, k) => [
    c + v,
    ...(k % 2 === 0 ? [c + v + CONSONANTS[(k * 7) % CONSONANTS.length]] : []),
  ]),
);
const FORMS = ['Inc', 'LLC', 'Ltd', 'Group', 'Partners', 'Holdings', 'Services', 'IT'];
/** A made-up company name: two words of two or three syllables and a legal form, varied like real ones. */
const companyName = (i: number) => {
  // mulberry32, seeded by the index: the same names every run.
  let state = i + 0x9e3779b9;
  const next = (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const word = () => {
    const text = Array.from({ length: 2 + next(2) }, () => SYLLABLES[next(SYLLABLES.length)]).join('');
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
  return `${word()} ${word()} ${FORMS[next(FORMS.length)]}`;
};

export async function measureSuggestions(size: {
  companies: number;
  accounts: number;
}): Promise<SuggestionsResult> {
  const store = await openSqliteStore({ file: ':memory:' });
  try {
    const ctx = contextFor(store);
    const { integrations, partnerIds } = await seedMapped(store, {
      integrations: 1,
      accounts: 0,
      services: 1,
    });
    const partnerId = partnerIds[0] as string;
    const integration = await store.getIntegration(integrations[0]?.integrationId as string);
    if (!integration) throw new Error('seeding failed');
    const names = Array.from({ length: size.companies }, (_, i) => companyName(i));
    await store.insertCompanies(names.map((name, i) => ({ id: `c${i}`, partnerId, name, createdAtMs: 0 })));
    // Vendor names are the companies' with a letter missing: near matches, not exact.
    const accounts = Array.from({ length: size.accounts }, (_, i) => ({
      id: `a${i}`,
      name: ((name) => name.slice(0, 3) + name.slice(4))(names[(i * 37) % size.companies] as string),
      description: '',
      isArrears: false,
    }));
    await createAccounts(ctx, integration, accounts);

    const started = performance.now();
    const got = await suggestMappings(store, partnerId, integration.id, {
      page: { offset: 0, limit: size.accounts },
    });
    const seconds = (performance.now() - started) / 1000;

    // Before: every pair compared from scratch.
    const baseStarted = performance.now();
    const targets = names.map(normaliseName);
    for (const account of accounts) {
      const normal = normaliseName(account.name);
      for (const target of targets) if (nameSimilarity(normal, target) >= DEFAULT_MIN_SCORE) void target;
    }
    const baselineSeconds = (performance.now() - baseStarted) / 1000;
    return { ...size, seconds, baselineSeconds, near: got.similar.accounts.length };
  } finally {
    await store.close();
  }
}

export const describeSuggestions = (r: SuggestionsResult): string =>
  `Suggestions: ${r.accounts} unmapped accounts against ${r.companies.toLocaleString()} companies: ` +
  `${fmt(r.seconds, 2)} s (${r.near} near matches); every pair from scratch ${fmt(r.baselineSeconds, 2)} s; ` +
  `ratio ${fmt(r.baselineSeconds / r.seconds, 1)}× faster`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      companies: { type: 'string', default: '20000' },
      accounts: { type: 'string', default: '200' },
    },
  });
  console.log(
    describeSuggestions(
      await measureSuggestions({ companies: Number(values.companies), accounts: Number(values.accounts) }),
    ),
  );
}
