#!/usr/bin/env bash
# portal-sim throughput (DESIGN §5: >= 20,000 simple GETs per second on
# loopback): starts portal-sim on a free port, drives GET /api/v1/me over
# keep-alive connections with wrk, prints the requests per second, stops it.
#
#   bench/sim_wrk.sh [BUILD_DIR]
#
# Environment: FLEET (default examples/fleets/small.yaml), TOKEN (an admin or
# viewer token of that fleet, default admin-secret), DURATION (default 10s),
# CONNECTIONS (default 32), THREADS (wrk threads, default 2), SIM_THREADS
# (portal-sim io threads, default 2).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$top/build}}
fleet=${FLEET:-$top/examples/fleets/small.yaml}
token=${TOKEN:-admin-secret}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
sim_threads=${SIM_THREADS:-2}
sim=$build/src/portal_sim/portal-sim

if [ ! -x "$sim" ]; then
  echo "sim_wrk: $sim is missing; build it first (./dev.sh build)" >&2
  exit 1
fi

work=$(mktemp -d)
"$sim" --fleet "$fleet" --port 0 --threads "$sim_threads" >"$work/sim.out" 2>"$work/sim.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

url=""
for _ in $(seq 1 100); do  # up to 10 s for "listening on URL"
  url=$(sed -n 's/^listening on //p' "$work/sim.out")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "sim_wrk: portal-sim did not start:" >&2
  cat "$work/sim.err" >&2
  exit 1
fi

wrk -t"$threads" -c"$connections" -d"$duration" -H "Authorization: Bearer $token" \
  "$url/api/v1/me" | tee "$work/wrk.txt"
if grep -q 'Non-2xx' "$work/wrk.txt"; then
  echo "sim_wrk: some answers were not 200 (wrong TOKEN for the fleet?)" >&2
  exit 1
fi
rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
echo "portal-sim: $rps requests/s (GET /api/v1/me, wrk -t$threads -c$connections -d$duration, keep-alive, $sim_threads io threads)"
