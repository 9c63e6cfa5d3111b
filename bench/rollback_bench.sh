#!/usr/bin/env bash
# A rollback as fast as the apply (issue 13): applies plans/bulk-10k.yaml to a
# freshly generated 10,000-camera fleet (as bench/executor_bench.sh does),
# then rolls that run back, against ONE portal-sim with network-like latency,
# and prints calls, critical path and wall time of each, and the ratio of the
# rollback's wall time to the apply's.
#
#   bench/rollback_bench.sh BUILD_DIR [LATENCY_MS] [PARALLELISM]
#
# Both commands run with the same --parallelism (default 16). The rollback
# ends with the account as the fleet file had it; the script checks that
# through the simulator's state (every camera's services as before).
# Loopback only; stops by itself.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/rollback_bench.sh BUILD_DIR [LATENCY_MS] [PARALLELISM]}
latency=${2:-20}
par=${3:-16}

work=$(mktemp -d)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$build/examples/generator/licmove-fleetgen" --cameras 10000 --moves 1000 --assigns 50 --seed 7 \
  --fleet-out "$work/fleet.yaml" >/dev/null
echo admin-secret >"$work/token"

"$build/src/portal_sim/portal-sim" --fleet "$work/fleet.yaml" --port 0 --latency "$latency" \
  --tie-break key >"$work/sim.out" &
sim_pid=$!
for _ in $(seq 100); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.05; done
url=$(sed -n 's/^listening on //p' "$work/sim.out")

# "N/M ops done, R requests sent in W s (parallelism P, critical path C)"
report() {
  local what=$1 out=$2
  local line calls wall cp
  line=$(grep -E '^[0-9]+/[0-9]+ ops done' "$out")
  calls=$(echo "$line" | sed -E 's#^[0-9]+/([0-9]+) .*#\1#')
  wall=$(echo "$line" | sed -E 's#.* in ([0-9.]+) s .*#\1#')
  cp=$(echo "$line" | sed -E 's#.*critical path ([0-9]+)\).*#\1#')
  printf '%-8s latency %d ms, parallelism %d: %d calls, critical path %d, wall %.2f s\n' \
    "$what" "$latency" "$par" "$calls" "$cp" "$wall"
  echo "$wall" >"$work/$what.wall"
}

# Every camera's services (key, auto_renew) by serial, and the pool's keys.
holdings() {
  curl -s "$url/sim/state" | python3 -c '
import json, sys
state = json.load(sys.stdin)
for account in state["accounts"]:
    for cam in sorted(account["cameras"], key=lambda c: c["serial"]):
        for s in sorted(cam["services"], key=lambda s: s["service"]):
            print(cam["serial"], s["service"], s["license_key"], s["auto_renew"])
    for lic in sorted(account["licenses"], key=lambda l: l["key"]):
        if not lic.get("assigned_to"):
            print("pool", lic["key"])
'
}
holdings >"$work/before.txt"
"$build/src/licmove/licmove" apply "$top/plans/bulk-10k.yaml" --portal "$url" \
  --token-file "$work/token" --state-dir "$work/state" --yes --parallelism "$par" \
  >"$work/apply.out" 2>"$work/apply.err"
report apply "$work/apply.out"
run=$(sed -n -E 's/^run ([^ ]+) \(.*/\1/p' "$work/apply.out" | head -n 1)
"$build/src/licmove/licmove" rollback "$run" --portal "$url" \
  --token-file "$work/token" --state-dir "$work/state" --yes --parallelism "$par" \
  >"$work/rollback.out" 2>"$work/rollback.err" || {
  echo "rollback failed:"; tail -n 20 "$work/rollback.err" "$work/rollback.out"; exit 1; }
report rollback "$work/rollback.out"
awk -v a="$(cat "$work/apply.wall")" -v r="$(cat "$work/rollback.wall")" \
  'BEGIN { printf "rollback / apply wall: %.3f\n", r / a }'
holdings >"$work/after.txt"
if cmp -s "$work/before.txt" "$work/after.txt"; then
  echo "the account is as before the apply ($(wc -l <"$work/before.txt") services and pool keys compared)"
else
  echo "the account differs from before the apply:"; diff "$work/before.txt" "$work/after.txt" | head -n 20
  exit 1
fi
