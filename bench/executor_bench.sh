#!/usr/bin/env bash
# The executor against portal-sim with network-like latency (DESIGN §5):
# applies a plan to a freshly generated 10,000-camera fleet (seed 7) and
# compares the execution's wall time with the bound of the graph it applied.
#
#   [REPEAT=N] [CASE=bulk|assign500] bench/executor_bench.sh BUILD_DIR [LATENCY_MS] [PARALLELISM...]
#
# CASE=bulk (the default): plans/bulk-10k.yaml (1,000 moves, 50 assigns,
# collateral services, thousands of parks). CASE=assign500: the generator's
# plan of 500 cameras given a 5-year license (`term: 5y`), every shorter pool
# key parked around them.
#
# The bound (bench/lib.sh, graph_bound) is the largest of the critical path,
# calls / parallelism and the graph's list schedule at that parallelism (the
# executor's policy with every call exactly one latency), times the latency.
# Each run is reported against it and against critical path x latency alone.
#
# Prints one line per run; with REPEAT=N (default 1) each parallelism runs N
# times, each on a fresh simulator, and a "median" line follows (wall times
# on a shared 2-core machine vary by a second or two from run to run).
# `apply --parallelism P` shapes its graph for P (docs/PLANNER.md §4a), so the
# critical path can differ between parallelisms. Loopback only; each run
# stops by itself.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$top/bench/lib.sh"
build=${1:?usage: bench/executor_bench.sh BUILD_DIR [LATENCY_MS] [PARALLELISM...]}
latency=${2:-20}
shift $(( $# >= 2 ? 2 : $# ))
parallelisms=("$@")
[ ${#parallelisms[@]} -gt 0 ] || parallelisms=(16)

work=$(mktemp -d)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

case ${CASE:-bulk} in
  bulk)
    "$build/examples/generator/licmove-fleetgen" --cameras 10000 --moves 1000 --assigns 50 \
      --seed 7 --fleet-out "$work/fleet.yaml" >/dev/null
    plan=$top/plans/bulk-10k.yaml
    ;;
  assign500)
    "$build/examples/generator/licmove-fleetgen" --cameras 10000 --moves 0 --assigns 500 \
      --seed 7 --fleet-out "$work/fleet.yaml" --plan-out "$work/plan.yaml" >/dev/null
    plan=$work/plan.yaml
    ;;
  *) echo "CASE must be bulk or assign500" >&2; exit 64 ;;
esac
echo admin-secret >"$work/token"

repeat=${REPEAT:-1}
run_once() {
  local par=$1
  "$build/src/portal_sim/portal-sim" --fleet "$work/fleet.yaml" --port 0 --latency "$latency" \
    --tie-break key >"$work/sim.out" &
  sim_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.05; done
  url=$(sed -n 's/^listening on //p' "$work/sim.out")
  rm -rf "$work/state"
  "$build/src/licmove/licmove" apply "$plan" --portal "$url" \
    --token-file "$work/token" --state-dir "$work/state" --yes --parallelism "$par" \
    >"$work/apply.out" 2>"$work/apply.err"
  line=$(grep -E '^[0-9]+/[0-9]+ ops done' "$work/apply.out")
  calls=$(echo "$line" | sed -E 's#^([0-9]+)/.*#\1#')
  wall=$(echo "$line" | sed -E 's#.* in ([0-9.]+) s .*#\1#')
  cp=$(echo "$line" | sed -E 's#.*critical path ([0-9]+)\).*#\1#')
  read -r _ gcp rounds bound < <(graph_bound "$build" "$plan" "$work/fleet.yaml" "$par")
  [ "$gcp" = "$cp" ] || echo "note: plan --parallelism $par has critical path $gcp, apply $cp" >&2
  awk -v c="$calls" -v w="$wall" -v cp="$cp" -v lat="$latency" -v p="$par" -v r="$rounds" \
    -v b="$bound" 'BEGIN {
    bs = b * lat / 1000; cs = cp * lat / 1000;
    printf "latency %d ms, parallelism %d: %d calls, critical path %d, list schedule %d rounds, wall %.2f s, bound %.2f s, ratio %.3f; critical path x latency %.2f s, ratio %.3f\n",
      lat, p, c, cp, r, w, bs, w / bs, cs, w / cs }'
  kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=""
}

for par in "${parallelisms[@]}"; do
  : >"$work/runs"
  for _ in $(seq "$repeat"); do
    run_once "$par" >>"$work/runs"
    tail -n 1 "$work/runs"
  done
  if [ "$repeat" -gt 1 ]; then  # the run with the median wall time
    awk '{ for (i = 1; i < NF; i++) if ($i == "wall") print $(i + 1) "\t" $0 }' "$work/runs" |
      sort -n | cut -f2- | awk -v n="$repeat" 'NR == int((n + 1) / 2) { print "median of " n ": " $0 }'
  fi
done
