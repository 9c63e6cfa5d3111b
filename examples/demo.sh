#!/usr/bin/env bash
# The demo: what `./dev.sh demo` runs after building. Takes the build
# directory as its argument. Everything runs against files in this repository
# and the simulator embedded in licmove (--portal sim://FLEET.yaml), which
# serves the portal's API over real HTTP on a loopback port.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
licmove=$build/src/licmove/licmove
fleetgen=$build/examples/generator/licmove-fleetgen
work=$build/demo
fleet=$top/examples/fleets/small.yaml
# A fresh simulated portal and journal directory on every demo run.
rm -rf "$work"
mkdir -p "$work"
state=$work/state

# Headings in bold only on a terminal, and never with NO_COLOR set
# (https://no-color.org): in a file or a pipe they are plain text.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  step() { printf '\n== %s\n' "$*"; }
fi

step "1. Validate the example fleet and the plans (checked against the fleet beside them)"
"$licmove" validate "$fleet" "$top"/plans/move.yaml "$top"/plans/assign-5y.yaml
# bulk-10k is for the generated 10,000-camera fleet (below): alone, it is
# checked on its own.
"$licmove" validate "$top"/plans/bulk-10k.yaml

step "2. Validation errors point at the text (an intentionally broken plan)"
cat >"$work/broken.yaml" <<'PLAN'
version: 1
account: acme
moves:
  - {from: CAM-0001, to: CAM-0001, service: alarm-management}
  - {from: CAM-0002, to: CAM-0007}
assign:
  - {cameras: [CAM-0007], service: alarm-management, term: 2y}
PLAN
set +e
"$licmove" validate "$work/broken.yaml"
code=$?
set -e
[ "$code" -eq 3 ] || { echo "demo: expected exit code 3 for the broken plan, got $code" >&2; exit 1; }
echo "(exit code 3: invalid input, as documented)"

step "3. Dry run: what moving CAM-0001's 5-year license to CAM-0007 takes"
"$licmove" plan "$top/plans/move.yaml" --snapshot "$fleet"

step "4. Apply it against the embedded simulator (real HTTP on loopback)"
"$licmove" apply "$top/plans/move.yaml" --portal "sim://$fleet" --state "$state" --yes

step "5. The run, from its journal"
run=$("$licmove" runs --state "$state" | awk 'NR==1 {print $1}')
"$licmove" status "$run" --state "$state"

step "6. Undo it: rollback puts every camera and key the run touched back"
"$licmove" rollback "$run" --portal "sim://$fleet" --state "$state" --yes

step "7. 5-year-first: give two cameras a 5-year license each"
"$licmove" apply "$top/plans/assign-5y.yaml" --portal "sim://$fleet" --state "$state" --yes

step "8. A 10,000-camera fleet and the bulk plan (1,000 moves): dry run summary"
"$fleetgen" --cameras 10000 --moves 1000 --assigns 50 --seed 7 --fleet-out "$work/fleet-10k.yaml"
"$licmove" plan "$top/plans/bulk-10k.yaml" --snapshot "$work/fleet-10k.yaml" \
  --out "$work/bulk-10k.saved.json" >"$work/bulk-10k.plan.txt"
sed -n '/^Summary/,$p' "$work/bulk-10k.plan.txt"
