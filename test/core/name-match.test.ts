import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameSimilarity, normaliseName } from '../../src/core/mappings/name-match.js';

test('names are normalised: case, accents, punctuation, "&", trailing legal forms', () => {
  const cases: [string, string][] = [
    ['Fabrikam, Inc.', 'fabrikam'],
    ['FABRIKAM LLC', 'fabrikam'],
    ['Müller GmbH', 'muller'],
    ['Smith & Sons Ltd', 'smith and sons'],
    ['Smith and Sons', 'smith and sons'],
    ['Co Op Bank', 'co op bank'],
    ['Contoso Corp.', 'contoso'],
    ['Inc', 'inc'],
  ];
  for (const [name, normal] of cases) assert.equal(normaliseName(name), normal, name);
});

test('similarity is 1 for equal names, high for a typo or a missing word, low for strangers', () => {
  assert.equal(nameSimilarity('fabrikam', 'fabrikam'), 1);
  assert.ok(nameSimilarity('northwind traders', 'northwind trader') >= 0.9);
  assert.ok(nameSimilarity('lakeside veterinary', 'lakeside vet') >= 0.7);
  assert.ok(nameSimilarity('fabrikam', 'contoso') < 0.2);
  assert.equal(nameSimilarity('a', 'b'), 0);
});
