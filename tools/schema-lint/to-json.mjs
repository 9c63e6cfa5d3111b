// node to-json.mjs OUT_DIR FILE.yaml...: writes OUT_DIR/FILE.json for each
// file, read as licmove reads YAML: version 1.2, core schema (so `yes` and
// timestamps stay text), one document, no duplicate keys.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';

const [outDir, ...files] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
for (const file of files) {
  const value = parse(readFileSync(file, 'utf8'), { version: '1.2', schema: 'core', uniqueKeys: true });
  writeFileSync(join(outDir, basename(file).replace(/\.ya?ml$/, '.json')), JSON.stringify(value));
}
