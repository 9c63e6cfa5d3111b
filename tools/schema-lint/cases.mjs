// node cases.mjs CORPUS.json OUT_DIR: writes the cases of
// tests/files/data/schema_agreement.json (its $comment says how they are
// made) as OUT_DIR/{plan,fleet}/{valid,invalid}/N.json, for `ajv test`.
// tests/files/schema_agreement_test.cc makes the same cases for licmove.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [corpusFile, outDir] = process.argv.slice(2);
const corpus = JSON.parse(readFileSync(corpusFile, 'utf8'));

// Sets the value at an RFC 6901 pointer whose parent exists in `doc`.
function setAt(doc, pointer, value) {
  const steps = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent = doc;
  for (const step of steps.slice(0, -1)) parent = parent[step];
  if (typeof parent !== 'object' || parent === null) {
    throw new Error(`${corpusFile}: the parent of ${pointer} is not in the base document`);
  }
  parent[steps.at(-1)] = value;
}

function withInsert(base, pointer, codePoint) {
  const doc = structuredClone(base);
  let original = doc;
  for (const step of pointer.split('/').slice(1)) original = original[step];
  setAt(doc, pointer, original.slice(0, 3) + String.fromCodePoint(parseInt(codePoint, 16)) + original.slice(3));
  return doc;
}

for (const kind of ['plan', 'fleet']) {
  const { base, pattern_fields, word_fields, valid, invalid } = corpus[kind];
  const cases = { valid: [base], invalid: [] };
  for (const field of pattern_fields) {
    for (const cp of corpus.whitespace) cases.invalid.push(withInsert(base, field, cp));
  }
  for (const field of word_fields) {
    for (const cp of corpus.not_whitespace) cases.valid.push(withInsert(base, field, cp));
  }
  for (const [verdict, changes] of [['valid', valid], ['invalid', invalid]]) {
    for (const change of changes) {
      const doc = structuredClone(base);
      for (const [pointer, value] of Object.entries(change)) setAt(doc, pointer, value);
      cases[verdict].push(doc);
    }
  }
  for (const verdict of ['valid', 'invalid']) {
    const dir = join(outDir, kind, verdict);
    mkdirSync(dir, { recursive: true });
    cases[verdict].forEach((doc, i) => writeFileSync(join(dir, `${i}.json`), JSON.stringify(doc)));
  }
}
