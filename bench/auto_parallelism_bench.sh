#!/usr/bin/env bash
# --parallelism auto against fixed parallelisms (issue 13): applies
# plans/bulk-10k.yaml (9,631 calls) to the generated 10,000-camera fleet of
# bench/executor_bench.sh, each run on a fresh portal-sim --latency 20 --tie-break key.
#
#   [REPEAT=N] [FIXED="4 8 16 32"] [RATES="200" ("": none)] [UNLIMITED=0] bench/auto_parallelism_bench.sh BUILD_DIR [LATENCY_MS]
#
# 1. An unlimited portal: every value of FIXED, then auto; the execution's
#    wall time (the run report's "in X s"), and auto's against the best fixed.
#    UNLIMITED=0 skips this part.
# 2. Each rate limit R of RATES (portal-sim --rate-limit R, which licmove is
#    not told): auto, and the default parallelism 10 for comparison; the
#    wall time against calls / R and the 429s portal-sim answered (its
#    /sim/stats).
# With REPEAT=N each configuration runs N times, interleaved (every
# configuration once, then again), so a busy spell of the shared machine
# hits them alike; the median of each is printed. Loopback only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/auto_parallelism_bench.sh BUILD_DIR [LATENCY_MS]}
latency=${2:-20}
repeat=${REPEAT:-1}
read -r -a fixed <<<"${FIXED:-4 8 16 32}"
read -r -a rates <<<"${RATES-200}"

work=$(mktemp -d)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$build/examples/generator/licmove-fleetgen" --cameras 10000 --moves 1000 --assigns 50 --seed 7 \
  --fleet-out "$work/fleet.yaml" >/dev/null
echo admin-secret >"$work/token"

# run_once NAME PARALLELISM RATE_LIMIT: appends "NAME wall calls requests 429s limit" to $work/results.
run_once() {
  local name=$1 par=$2 rate=$3
  "$build/src/portal_sim/portal-sim" --fleet "$work/fleet.yaml" --port 0 --latency "$latency" \
    --tie-break key --rate-limit "$rate" >"$work/sim.out" &
  sim_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.05; done
  url=$(sed -n 's/^listening on //p' "$work/sim.out")
  rm -rf "$work/state"
  if ! "$build/src/licmove/licmove" apply "$top/plans/bulk-10k.yaml" --portal "$url" \
    --token-file "$work/token" --state "$work/state" --yes --parallelism "$par" \
    >"$work/apply.out" 2>"$work/apply.err"; then
    echo "$name: apply failed:" >&2; tail -n 5 "$work/apply.err" >&2; exit 1
  fi
  line=$(grep -E '^[0-9]+/[0-9]+ ops done' "$work/apply.out")
  calls=$(echo "$line" | sed -E 's#^([0-9]+)/.*#\1#')
  requests=$(echo "$line" | sed -E 's#.* ops done, ([0-9]+) requests.*#\1#')
  wall=$(echo "$line" | sed -E 's#.* in ([0-9.]+) s .*#\1#')
  limit=$(echo "$line" | sed -nE 's#.*settled on ([0-9]+, [0-9]+-[0-9]+).*#\1#p' | tr -d ' ')
  n429=$(curl -s "$url/sim/stats" | { grep -o '"429":[0-9]*' || true; } |
    awk -F: '{ s += $2 } END { print s + 0 }')
  echo "$name $wall $calls $requests $n429 ${limit:--}" >>"$work/results"
  printf '%-14s wall %7.2f s  %d calls  %d requests  %d answered 429%s\n' "$name" "$wall" "$calls" \
    "$requests" "$n429" "${limit:+  (limit settled, lowest-highest: $limit)}"
  kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=""
}

median() {  # median wall of NAME's runs
  awk -v n="$1" '$1 == n { print $2 }' "$work/results" | sort -n |
    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

: >"$work/results"
if [ "${UNLIMITED:-1}" != 0 ]; then
echo "== latency $latency ms, no rate limit"
for _ in $(seq "$repeat"); do
  for p in "${fixed[@]}"; do run_once "fixed-$p" "$p" 0; done
  run_once auto auto 0
done
best="" best_wall=""
for p in "${fixed[@]}"; do
  w=$(median "fixed-$p")
  echo "median fixed-$p: $w s"
  if [ -z "$best_wall" ] || awk -v a="$w" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
    best="fixed-$p" best_wall=$w
  fi
done
w=$(median auto)
awk -v a="$w" -v b="$best_wall" -v best="$best" \
  'BEGIN { printf "median auto: %s s, %.3f x the best fixed (%s, %s s)\n", a, a / b, best, b }'
fi

for rate in "${rates[@]}"; do
  echo "== latency $latency ms, portal-sim --rate-limit $rate"
  for _ in $(seq "$repeat"); do
    run_once "auto-r$rate" auto "$rate"
    run_once "fixed-10-r$rate" 10 "$rate"
  done
  for name in "auto-r$rate" "fixed-10-r$rate"; do
    awk -v n="$name" -v r="$rate" '$1 == n { print $2 "\t" $0 }' "$work/results" | sort -n |
      cut -f2- | awk -v r="$rate" -v k="$repeat" 'NR == int((k + 1) / 2) {
        printf "median %s: wall %s s = %.3f x calls / R (%d / %d = %.2f s); %d of %d requests answered 429 (%.2f%%)\n",
          $1, $2, $2 / ($3 / r), $3, r, $3 / r, $5, $4, 100 * $5 / $4 }'
  done
done
