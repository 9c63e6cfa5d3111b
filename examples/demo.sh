#!/usr/bin/env bash
# The demo: what `./dev.sh demo` runs after building. Takes the build
# directory as its argument. Everything runs against files in this repository
# and, where a portal is needed, the embedded simulator on loopback.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
licmove=$build/src/licmove/licmove
fleetgen=$build/examples/generator/licmove-fleetgen
work=$build/demo
mkdir -p "$work"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Validate the example fleet and the plan templates"
"$licmove" validate "$top/examples/fleets/small.yaml" "$top"/plans/move.yaml \
  "$top"/plans/assign-5y.yaml "$top"/plans/bulk-10k.yaml

step "Validation errors point at the text (an intentionally broken plan)"
cat >"$work/broken.yaml" <<'PLAN'
version: 1
account: acme
moves:
  - {from: CAM-0001, to: CAM-0001, service: alarm-management}
  - {from: CAM-0002, to: CAM-0007}
assign:
  - {cameras: [CAM-0007], service: alarm-management, term: 2y}
PLAN
if "$licmove" validate "$work/broken.yaml"; then
  echo "demo: the broken plan was accepted; that is a bug" >&2
  exit 1
else
  echo "(exit code $?: invalid input, as documented)"
fi

step "Generate a 10,000-camera fleet for the bulk plan"
"$fleetgen" --cameras 10000 --moves 1000 --assigns 50 --seed 7 \
  --fleet-out "$work/fleet-10k.yaml"
"$licmove" validate "$work/fleet-10k.yaml"
