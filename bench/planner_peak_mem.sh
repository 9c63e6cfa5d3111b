#!/usr/bin/env bash
# Peak resident memory and wall time of a whole `licmove plan` process on a
# generated fleet: reading and validating the fleet and plan files (YAML),
# planning, rendering JSON and writing the saved plan. planner_bench measures
# BuildPlan alone; this is what an operator's machine sees.
#
#   bench/planner_peak_mem.sh BUILD_DIR [CAMERAS]    (default 100000)
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [CAMERAS]}
cameras=${2:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/examples/generator/licmove-fleetgen" --cameras "$cameras" --moves $((cameras / 10)) \
  --assigns $((cameras / 100)) --seed 7 --fleet-out "$tmp/fleet.yaml" --plan-out "$tmp/plan.yaml"
/usr/bin/time -v "$build/src/licmove/licmove" plan "$tmp/plan.yaml" --snapshot "$tmp/fleet.yaml" \
  --format json --out "$tmp/saved.json" >"$tmp/plan.json" 2>"$tmp/time.txt" || {
  cat "$tmp/time.txt" >&2
  exit 1
}
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$tmp/time.txt"
echo "plan JSON: $(wc -c <"$tmp/plan.json") bytes; saved plan: $(wc -c <"$tmp/saved.json") bytes"
