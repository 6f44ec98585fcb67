/**
 * Name matching for mapping suggestions: vendor account and service names rarely equal the PSA's
 * exactly ("ACME, Inc." vs "Acme"), so names are compared after normalising them, and scored.
 */

/** Legal-form words that say nothing about which company it is. */
const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'ab',
  'as',
  'oy',
  'pty',
  'co',
  'corp',
  'corporation',
  'company',
]);

/**
 * Lower case, accents dropped, "&" read as "and", punctuation as spaces, legal forms (Inc, Ltd,
 * LLC, GmbH …) dropped at the end, whitespace collapsed: "Fabrikam, Inc." → "fabrikam".
 */
export function normaliseName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  // Only trailing legal forms go: "Co" in "Co Op Bank" is part of the name.
  while (words.length > 1 && LEGAL_SUFFIXES.has(words.at(-1) as string)) words.pop();
  return words.join(' ');
}

/** The letter pairs of a string, counted (Sørensen–Dice works on multisets). */
function bigrams(text: string): Map<string, number> {
  const pairs = new Map<string, number>();
  const compact = text.replace(/ /g, '');
  for (let i = 0; i < compact.length - 1; i++) {
    const pair = compact.slice(i, i + 2);
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  return pairs;
}

/** A normalised name with its letter pairs counted once, to compare it with many others. */
export interface NameProfile {
  normal: string;
  pairs: Map<string, number>;
  /** How many letter pairs (with repeats). */
  size: number;
}

export function nameProfile(normal: string): NameProfile {
  const pairs = bigrams(normal);
  let size = 0;
  for (const n of pairs.values()) size += n;
  return { normal, pairs, size };
}

const hundredths = (x: number) => Math.round(x * 100) / 100;

/** nameSimilarity of two profiles. */
export function profileSimilarity(a: NameProfile, b: NameProfile): number {
  if (a.normal === b.normal) return 1;
  const total = a.size + b.size;
  if (total === 0) return 0;
  const [small, large] = a.pairs.size <= b.pairs.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [pair, n] of small.pairs) shared += Math.min(n, large.pairs.get(pair) ?? 0);
  return hundredths((2 * shared) / total);
}

/**
 * How alike two normalised names are, from 0 to 1: 1 when equal, else the Sørensen–Dice coefficient
 * of their letter pairs (robust to word order, a missing word or a typo), rounded to hundredths.
 */
export const nameSimilarity = (a: string, b: string): number =>
  profileSimilarity(nameProfile(a), nameProfile(b));
