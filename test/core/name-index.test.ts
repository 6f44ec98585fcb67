import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { NameIndex } from '../../src/core/mappings/name-index.js';
import { nameSimilarity, normaliseName } from '../../src/core/mappings/name-match.js';

/** What the index must answer: every target compared, the best kept, a tie for the best suggests nothing. */
function bruteBest(targets: { id: string; name: string }[], name: string, minScore: number) {
  let best: { id: string; score: number; tied: boolean } | null = null;
  for (const t of targets) {
    const score = nameSimilarity(normaliseName(name), normaliseName(t.name));
    if (score < minScore) continue;
    if (!best || score > best.score) best = { id: t.id, score, tied: false };
    else if (score === best.score) best.tied = true;
  }
  return best;
}

const word = fc.constantFrom(
  'north',
  'wind',
  'contoso',
  'fabrikam',
  'inc',
  'ltd',
  'blue',
  'sons',
  '&',
  'a',
  'tr',
);
const companyName = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const typo = (name: string, at: number) =>
  name.length < 2 ? name : name.slice(0, at % name.length) + name.slice((at % name.length) + 1);

test('the index finds what comparing every pair finds, tie or not, at any threshold', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(companyName, { minLength: 1, maxLength: 40 }),
      companyName,
      fc.nat(),
      fc.constantFrom(0.5, 0.6, 0.75, 0.9, 0.99, 1),
      async (names, query, at, minScore) => {
        const targets = names.map((name, i) => ({ id: `t${i}`, name }));
        const index = await NameIndex.of(targets);
        for (const probe of [query, typo(query, at), names[at % names.length] as string]) {
          const want = bruteBest(targets, probe, minScore);
          const got = index.best(probe, minScore);
          assert.equal(got === null, want === null, `${probe} at ${minScore}`);
          if (got && want) {
            assert.equal(got.score, want.score, probe);
            assert.equal(got.tied, want.tied, probe);
            if (!want.tied) assert.equal(got.target.id, want.id, probe);
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});
