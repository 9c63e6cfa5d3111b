#!/usr/bin/env bash
# Reading a 100,000-camera account from portal-sim, with and without network
# latency (docs/PERFORMANCE.md, "Reading the account").
#
#   [REPEAT=N] [PAGE_SIZE=P] bench/read_bench.sh BUILD_DIR [LATENCY_MS] [CAMERAS]
#                             (defaults: N 3, P 1000, 20 ms, 100000 cameras)
#
# For each latency (0 and LATENCY_MS) a portal-sim serves the generated
# fleet, and read_account_bench reads it N times in each order (concurrent:
# cameras, assigned and pool licenses walked at once; sequential: cameras,
# then all licenses), printing its requests and wall time; medians follow.
# The read at 0 ms is the data transfer (serialising, sending and decoding the
# pages); what the latency adds is the read at LATENCY_MS minus that. Last,
# the whole `licmove plan --portal` at LATENCY_MS (a plan of 10 moves), as an
# operator runs it: the read plus preflight, planning and rendering.
set -euo pipefail
build=${1:?usage: bench/read_bench.sh BUILD_DIR [LATENCY_MS] [CAMERAS]}
latency=${2:-20}
cameras=${3:-100000}
# PAGE_SIZE=100 with 10000 cameras keeps the 100k account's page chains (100
# camera pages, 106 assigned, 45 pool) with a tenth of the data: the latency
# shows through the transfer on a busy machine.
page_size=${PAGE_SIZE:-1000}

work=$(mktemp -d)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$build/examples/generator/licmove-fleetgen" --cameras "$cameras" --moves 10 --seed 7 \
  --fleet-out "$work/fleet.yaml" --plan-out "$work/plan.yaml" >/dev/null
echo viewer-secret >"$work/token"

start_sim() {
  "$build/src/portal_sim/portal-sim" --fleet "$work/fleet.yaml" --port 0 --latency "$1" \
    >"$work/sim.out" &
  sim_pid=$!
  for _ in $(seq 600); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$work/sim.out")
}
stop_sim() { kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=""; }

# Median of the runs' seconds, read from stdin one a line.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

repeat=${REPEAT:-3}
declare -A seconds
for lat in 0 "$latency"; do
  start_sim "$lat"
  for order in concurrent sequential; do
    : >"$work/runs"
    for _ in $(seq "$repeat"); do
      line=$("$build/bench/read_account_bench" "$url" viewer-secret acme "$order" "$page_size")
      echo "latency $lat ms, $line"
      echo "$line" | sed -E 's/.* ([0-9.]+) s$/\1/' >>"$work/runs"
    done
    seconds[$lat/$order]=$(median <"$work/runs")
  done
  stop_sim
done
for order in concurrent sequential; do
  awk -v o="$order" -v a="${seconds[$latency/$order]}" -v b="${seconds[0/$order]}" \
    -v lat="$latency" -v n="$repeat" 'BEGIN {
    printf "%s: latency %d ms adds %.2f s to the read (median of %d: %.2f s - %.2f s at 0 ms)\n",
    o, lat, a - b, n, a, b }'
done

start_sim "$latency"
/usr/bin/time -f "%e s, %M KB max RSS" "$build/src/licmove/licmove" plan "$work/plan.yaml" \
  --portal "$url" --token-file "$work/token" >/dev/null 2>"$work/plan.time" || {
  cat "$work/plan.time" >&2
  exit 1
}
stop_sim
echo "licmove plan --portal at $latency ms: $(tail -n 1 "$work/plan.time")"
