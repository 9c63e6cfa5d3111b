#!/usr/bin/env bash
# The two state backends side by side (issue 10, docs/STATE.md): applies
# plans/bulk-10k.yaml to a fresh 10,000-camera portal-sim with network-like
# latency, once with the runs in a directory and once in PostgreSQL, ROUNDS
# times alternating, and compares the wall times.
#
#   [ROUNDS=N] bench/state_bench.sh BUILD_DIR [LATENCY_MS] [PARALLELISM]
#
# PostgreSQL is a throwaway server started for the run (initdb in a temporary
# directory, a Unix socket only, default durability settings: fsync and
# synchronous_commit on), as the postgres user when run as root. Prints one
# line per apply: backend, execution wall (the "ops done in" figure), whole
# process wall (reading the account and writing the journal's header
# included); then the medians and their ratio, PostgreSQL over directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/state_bench.sh BUILD_DIR [LATENCY_MS] [PARALLELISM]}
latency=${2:-20}
par=${3:-16}
rounds=${ROUNDS:-3}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "no PostgreSQL server (scripts/install-deps.sh)" >&2; exit 1; }

work=$(mktemp -d)
pg_dir=$(mktemp -d /tmp/licmove-bench-pg-XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pg_dir"; as_pg=(runuser -u postgres --); fi
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work" "$pg_dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" --auth=trust -U postgres -E UTF8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-k $pg_dir -c listen_addresses= -p 5432" start >/dev/null
pg_url="postgres:///postgres?host=$pg_dir&port=5432&user=postgres"

"$build/examples/generator/licmove-fleetgen" --cameras 10000 --moves 1000 --assigns 50 --seed 7 \
  --fleet-out "$work/fleet.yaml" >/dev/null
echo admin-secret >"$work/token"

run_once() {  # BACKEND ROUND
  local backend=$1 round=$2 state
  "$build/src/portal_sim/portal-sim" --fleet "$work/fleet.yaml" --port 0 --latency "$latency" \
    --tie-break key >"$work/sim.out" 2>"$work/sim.err" &
  sim_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/sim.out" 2>/dev/null && break; sleep 0.05; done
  url=$(sed -n 's/^listening on //p' "$work/sim.out")
  if [ "$backend" = dir ]; then
    state="$work/state-$round"
  else
    state="$pg_url&schema=bench_$round"
  fi
  local start end
  start=$(date +%s.%N)
  "$build/src/licmove/licmove" apply "$top/plans/bulk-10k.yaml" --portal "$url" \
    --token-file "$work/token" --state "$state" --yes --parallelism "$par" \
    >"$work/apply.out" 2>"$work/apply.err" || { cat "$work/apply.err" >&2; exit 1; }
  end=$(date +%s.%N)
  line=$(grep -E '^[0-9]+/[0-9]+ ops done' "$work/apply.out")
  awk -v b="$backend" -v line="$line" -v s="$start" -v e="$end" -v lat="$latency" -v p="$par" 'BEGIN {
    split(line, w, " in "); split(w[2], x, " "); split(line, c, "/");
    printf "%-4s latency %d ms, parallelism %d: %d ops, execution %.2f s, process %.2f s\n",
      b, lat, p, c[1], x[1], e - s }'
  kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=""
}

: >"$work/lines"
for round in $(seq "$rounds"); do
  for backend in dir pg; do
    run_once "$backend" "$round" | tee -a "$work/lines"
  done
done
awk -v n="$rounds" '
  { for (i = 1; i <= NF; i++) { if ($i == "execution") ex[$1, ++k[$1]] = $(i + 1);
                                if ($i == "process") pr[$1, k[$1]] = $(i + 1) } }
  function median(arr, b,   i, j, t, v) {
    for (i = 1; i <= n; i++) v[i] = arr[b, i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return v[int((n + 1) / 2)]
  }
  END {
    de = median(ex, "dir"); pe = median(ex, "pg"); dp = median(pr, "dir"); pp = median(pr, "pg")
    printf "median of %d: execution dir %.2f s, pg %.2f s, ratio %.3f; process dir %.2f s, pg %.2f s, ratio %.3f\n",
      n, de, pe, pe / de, dp, pp, pp / dp
  }' "$work/lines"
