# Shared by the benchmarks that run `licmove apply` against portal-sim:
# sourced, not run.
#
# graph_bound BUILD_DIR PLAN FLEET PARALLELISM
#   The bound a run of PLAN on FLEET at PARALLELISM is measured against, in
#   call latencies, from the graph `licmove apply --parallelism P` applies
#   (the plan shaped for P, docs/PLANNER.md §4a). Prints four numbers:
#     calls critical_path list_schedule_rounds bound_rounds
#   list_schedule_rounds: the graph played at P calls in flight, every call
#   one round (engine/planner/list_schedule.h, the plan's estimated_rounds):
#   the executor's own policy without overhead. bound_rounds: the largest of
#   the critical path, calls / P (rounded up) and that list schedule. A graph
#   that keeps ops waiting in bunches cannot be run faster than its list
#   schedule by the executor's policy, so the critical path alone flatters it.
graph_bound() {
  local build=$1 plan=$2 fleet=$3 par=$4 json
  json=$("$build/src/licmove/licmove" plan "$plan" --snapshot "$fleet" --format json \
    --parallelism "$par")
  local calls cp rounds
  calls=$(printf '%s' "$json" | grep -oE '"calls": ?[0-9]+' | head -n 1 | grep -oE '[0-9]+$')
  cp=$(printf '%s' "$json" | grep -oE '"critical_path": ?[0-9]+' | head -n 1 | grep -oE '[0-9]+$')
  rounds=$(printf '%s' "$json" | grep -oE '"estimated_rounds": ?[0-9]+' | head -n 1 |
    grep -oE '[0-9]+$')
  awk -v c="$calls" -v cp="$cp" -v r="$rounds" -v p="$par" 'BEGIN {
    b = cp; w = int((c + p - 1) / p); if (w > b) b = w; if (r > b) b = r;
    print c, cp, r, b }'
}
