#!/usr/bin/env bash
# The JSON Schemas checked by a second validator (ctest: schema_lint): Ajv 8
# in strict mode, draft-07, with ajv-formats for `format` (installed by
# scripts/install-deps.sh into tools/schema-lint/node_modules).
#
#   tools/schema-lint/lint.sh SOURCE_DIR WORK_DIR
#
# 1. Every schemas/*.schema.json compiles in strict mode (no unknown keyword,
#    no ignored one, every keyword's type stated).
# 2. Every shipped plan (plans/*.yaml, examples/ci/plans/*.yaml) and fleet
#    (examples/fleets/*.yaml), read as YAML 1.2 like licmove reads it, is
#    valid against its schema.
# 3. The cases of tests/files/data/schema_agreement.json get the verdicts
#    schema_agreement_test.cc checks licmove gives them.
set -euo pipefail

src=$(cd "$1" && pwd)
work=$2
here=$src/tools/schema-lint
ajv=$here/node_modules/.bin/ajv
rm -rf "$work"
mkdir -p "$work"

# -c resolves a package from the working directory.
cd "$here"
strict=(--spec=draft7 --strict=true -c ajv-formats)

for schema in "$src"/schemas/*.schema.json; do
  "$ajv" compile -s "$schema" "${strict[@]}"
done

node to-json.mjs "$work/plans" "$src"/plans/*.yaml "$src"/examples/ci/plans/*.yaml
node to-json.mjs "$work/fleets" "$src"/examples/fleets/*.yaml
"$ajv" validate -s "$src/schemas/plan.v1.schema.json" -d "$work/plans/*.json" "${strict[@]}"
"$ajv" validate -s "$src/schemas/fleet.v1.schema.json" -d "$work/fleets/*.json" "${strict[@]}"

node cases.mjs "$src/tests/files/data/schema_agreement.json" "$work/cases"
for kind in plan fleet; do
  for verdict in valid invalid; do
    if ! out=$("$ajv" test -s "$src/schemas/$kind.v1.schema.json" \
      -d "$work/cases/$kind/$verdict/*.json" "--$verdict" "${strict[@]}" 2>&1); then
      grep -v "passed test$" <<<"$out"
      exit 1
    fi
    echo "$kind cases that are $verdict: $(ls "$work/cases/$kind/$verdict" | wc -l), all $verdict"
  done
done
