import { type NameProfile, nameProfile, normaliseName, profileSimilarity } from './name-match.js';

interface Entry<T> {
  target: T;
  profile: NameProfile;
}

/** Each letter pair once per occurrence ("on#0", "on#1"), so shared tokens count shared pairs. */
function tokensOf(profile: NameProfile): string[] {
  const tokens: string[] = [];
  for (const [pair, n] of profile.pairs) for (let k = 0; k < n; k++) tokens.push(`${pair}#${k}`);
  return tokens;
}

/** Targets indexed between two turns of the event loop. */
const TARGETS_PER_TURN = 2_000;

/**
 * The best-matching name among many, without comparing with every one. Targets are indexed by their
 * letter pairs; a name whose similarity to an item can reach `minScore` must share at least a known
 * number of pairs with it, so it must share one of the item's rarest pairs (a prefix filter): only
 * the targets listed under those few pairs are compared.
 */
export class NameIndex<T extends { name: string }> {
  private readonly entries: Entry<T>[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly byNormal = new Map<string, number[]>();

  private constructor() {}

  /**
   * Indexes the targets, yielding to the event loop every TARGETS_PER_TURN of them: a partner with
   * a very large ledger makes its own suggestions slower, not everyone's requests.
   */
  static async of<T extends { name: string }>(targets: readonly T[]): Promise<NameIndex<T>> {
    const index = new NameIndex<T>();
    for (const [i, target] of targets.entries()) {
      if (i > 0 && i % TARGETS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      index.add(target);
    }
    return index;
  }

  private add(target: T): void {
    const i = this.entries.length;
    const entry = { target, profile: nameProfile(normaliseName(target.name)) };
    this.entries.push(entry);
    const same = this.byNormal.get(entry.profile.normal);
    if (same) same.push(i);
    else this.byNormal.set(entry.profile.normal, [i]);
    for (const token of tokensOf(entry.profile)) {
      const list = this.postings.get(token);
      if (list) list.push(i);
      else this.postings.set(token, [i]);
    }
  }

  /** The target most like `name` at or above `minScore`; `tied` when two share the best score. */
  best(name: string, minScore: number): { target: T; score: number; tied: boolean } | null {
    const profile = nameProfile(normaliseName(name));
    // Equal normalised names score 1 whatever their pairs (a one-letter name has none).
    const candidates = new Set<number>(this.byNormal.get(profile.normal) ?? []);
    const tokens = tokensOf(profile).sort(
      (a, b) => (this.postings.get(a)?.length ?? 0) - (this.postings.get(b)?.length ?? 0),
    );
    // Scores are rounded to hundredths: a raw score just under minScore still counts.
    const t = Math.max(0, minScore - 0.005);
    if (tokens.length > 0) {
      const leastShared = Math.max(1, Math.ceil((tokens.length * t) / (2 - t) - 1e-9));
      for (const token of tokens.slice(0, tokens.length - leastShared + 1)) {
        for (const i of this.postings.get(token) ?? []) candidates.add(i);
      }
    }
    // A name much longer or shorter than the item's cannot reach minScore, however alike.
    const shortest = (profile.size * t) / (2 - t) - 1e-9;
    const longest = t === 0 ? Infinity : (profile.size * (2 - t)) / t + 1e-9;
    let best: { target: T; score: number; tied: boolean } | null = null;
    for (const i of candidates) {
      const entry = this.entries[i] as Entry<T>;
      const size = entry.profile.size;
      if ((size < shortest || size > longest) && entry.profile.normal !== profile.normal) continue;
      const score = profileSimilarity(profile, entry.profile);
      if (score < minScore) continue;
      if (!best || score > best.score) best = { target: entry.target, score, tied: false };
      else if (score === best.score && entry.target !== best.target) best.tied = true;
    }
    return best;
  }
}
