#!/usr/bin/env bash
# The CI examples, run here: the licmove steps of examples/ci/github-actions.yml
# and examples/ci/gitlab-ci.yml, in the same order, against portal-sim (the
# built binary) and a throwaway PostgreSQL, for two accounts side by side.
#
#   examples/ci/run-local.sh [BUILD_DIR]        (default: build/)
#
# What the workflows do over time is played as four events; in each, every
# account's job runs at once in the background (the matrix), against the one
# portal and the one PostgreSQL state, each under its own account lock:
#
#   1. a pull request: validate; plan (Markdown, the saved plan): exit 2
#   2. the merge: apply the saved plan, with the reports: exit 0
#   3. the merge's job re-run: apply the same saved plan again: no call that
#      changes the portal
#   4. the schedule: apply the plan file with --resume-unfinished ("no
#      changes", exit 0); plan --detailed-exitcode (exit 0); runs --format
#      json --account A (one completed apply run of A)
#
# Exit 0 when every step did what the workflows expect of it, 77 when there
# are no PostgreSQL server binaries (ctest counts that as skipped), 1 otherwise
# with the account, the event and the step that failed. KEEP_WORK=1 keeps the
# work directory (every job's workspace, logs and reports).
#
# The bare word `licmove` appears only in the jobs below (job_plan, job_apply,
# job_schedule), exactly as in the workflows: ci_examples_test extracts the
# licmove command lines from this file and from both workflows and requires
# the same sequence. Everything else here calls "$licmove_bin".
#
# ACCOUNT and PLAN are set per job by run_event.
# shellcheck disable=SC2153
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
licmove_bin=$build/src/licmove/licmove
portal_sim_bin=$build/src/portal_sim/portal-sim
fleet=$top/examples/fleets/two-accounts.yaml
plans=$top/examples/ci/plans

# The secrets each account's jobs get (docs/CI.md): a viewer token where
# pull requests plan, an admin token where main applies.
declare -A viewer_token=([acme-eu]=eu-viewer-token [acme-us]=us-viewer-token)
declare -A admin_token=([acme-eu]=eu-admin-token [acme-us]=us-admin-token)

say() { printf '%s\n' "run-local.sh: $*" >&2; }
die() {
  say "$*"
  exit 1
}

for bin in "$licmove_bin" "$portal_sim_bin"; do
  [ -x "$bin" ] || die "$bin is not built (./dev.sh build)"
done
for tool in curl jq sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-deps.sh)"
done
pg_bin=
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && pg_bin=$dir
done
if [ -z "$pg_bin" ]; then
  say "skipped: no PostgreSQL server binaries under /usr/lib/postgresql (scripts/install-deps.sh)"
  exit 77
fi

# One account per plan file, as the workflows' matrix has one per
# plans/ACCOUNT.yaml.
accounts=()
for plan in "$plans"/*.yaml; do
  accounts+=("$(basename "$plan" .yaml)")
done
[ "${#accounts[@]}" -ge 2 ] || die "expected at least two plans in $plans"

# ---- Set-up: a work directory, PostgreSQL, portal-sim; all gone on exit.

work=$(mktemp -d /tmp/licmove-ci-XXXXXX)
# Its own directory: as root the server runs as `postgres`, which must own it
# (and could not enter $work, which is 0700).
pg_dir=$(mktemp -d /tmp/licmove-ci-pg-XXXXXX)
sim_pid=
job_pids=()
as_postgres=()
cleanup() {
  local code=$?
  for pid in "${job_pids[@]}" $sim_pid; do
    kill "$pid" 2>/dev/null || true
  done
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$pg_dir"
  if [ "${KEEP_WORK:-0}" = 1 ]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ "$(id -u)" = 0 ]; then
  chown postgres: "$pg_dir"
  as_postgres=(runuser -u postgres --)
fi
# A Unix socket in $pg_dir and no TCP port: nothing else on the machine can
# collide with it or reach it.
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_dir/data" --auth=trust -U postgres -E UTF8 \
  --no-sync >"$work/initdb.log" 2>&1 || die "initdb failed: $(cat "$work/initdb.log")"
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-k $pg_dir -c listen_addresses= -p 5432" start >/dev/null ||
  die "PostgreSQL did not start: $(cat "$pg_dir/log")"
state="postgres:///postgres?host=$pg_dir&port=5432&user=postgres"

"$portal_sim_bin" --fleet "$fleet" --port 0 >"$work/portal-sim.out" 2>"$work/portal-sim.err" &
sim_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/portal-sim.out" && break
  kill -0 "$sim_pid" 2>/dev/null || die "portal-sim did not start: $(cat "$work/portal-sim.err")"
  sleep 0.1
done
portal=$(sed -n 's/^listening on //p' "$work/portal-sim.out")
[ -n "$portal" ] || die "portal-sim did not say where it listens"

# The workflows install licmove on PATH; so does this.
mkdir "$work/bin"
ln -s "$licmove_bin" "$work/bin/licmove"
export PATH="$work/bin:$PATH"
export LICMOVE_PORTAL=$portal LICMOVE_STATE=$state

# ---- Helpers of the jobs. Each job runs in its own workspace with ACCOUNT,
# PLAN, LICMOVE_PORTAL, LICMOVE_STATE and LICMOVE_TOKEN set, as in the
# workflows; EVENT names the event for messages.

# fail MESSAGE: this account's job failed; the driver prints its log.
fail() {
  printf '%s\n' "run-local.sh: [$ACCOUNT] $EVENT: $*" >&2
  exit 1
}

# expect_code STEP CODE ALLOWED...: fail unless CODE is one of ALLOWED.
expect_code() {
  local step=$1 code=$2 ok
  shift 2
  for ok in "$@"; do
    [ "$code" = "$ok" ] && return 0
  done
  local allowed="$*"
  [ -s apply.err ] && sed 's/^/  stderr: /' apply.err >&2
  fail "step '$step' exited $code, expected ${allowed// / or }"
}

# The saved plan travels from the pull request's job to the merge's job under
# a name made of the account and the plan file's SHA-256, as the workflows
# keep it (an artifact on GitHub, a generic package on GitLab): the merge job
# finds the plan reviewed for exactly the plan file it checked out.
artifact_dir() { echo "$work/artifacts/licmove-plan-$ACCOUNT-$(sha256sum "$PLAN" | cut -c1-64)"; }
publish_reviewed_plan() {
  mkdir -p "$(artifact_dir)"
  cp saved.json plan.sha256 "$(artifact_dir)/"
}
fetch_reviewed_plan() {
  [ -d "$(artifact_dir)" ] || fail "no saved plan for this version of $PLAN: was it planned?"
  mkdir -p reviewed
  cp "$(artifact_dir)"/* reviewed/
}

# ---- The jobs: their licmove lines are the workflows' own, in the same
# order (ci_examples_test compares them). Exit codes are accepted as the
# workflows accept them; the events below check more.

# On a change: validate, plan against the portal (Markdown for the summary),
# save the plan for the merge. Exit 2 from plan means "changes": not a failure.
job_plan() {
  licmove validate "$PLAN" >validate.txt || expect_code "licmove validate" $? 0
  plan_code=0
  licmove plan "$PLAN" --portal "$LICMOVE_PORTAL" --state "$LICMOVE_STATE" \
    --format markdown --out saved.json --detailed-exitcode >plan.md || plan_code=$?
  expect_code "licmove plan --out saved.json" "$plan_code" 0 2
  sha256sum "$PLAN" >plan.sha256
  publish_reviewed_plan
}

# On the merge: apply the saved plan, exactly what was reviewed; licmove
# refuses it (exit 6) if the account changed since. APPLY_OK: the exit codes
# accepted (the workflows: 0).
job_apply() {
  fetch_reviewed_plan
  sha256sum -c reviewed/plan.sha256 >/dev/null ||
    fail "reviewed/saved.json was planned from another version of $PLAN"
  apply_code=0
  licmove apply reviewed/saved.json --portal "$LICMOVE_PORTAL" --state "$LICMOVE_STATE" --yes \
    --report-junit junit.xml --report-markdown summary.md --log-format json \
    >events.jsonl 2>apply.err || apply_code=$?
  # shellcheck disable=SC2086 # a list of codes
  expect_code "licmove apply reviewed/saved.json" "$apply_code" ${APPLY_OK:-0}
}

# On the schedule: apply the plan file again (applied: "no changes"; a run a
# dead runner left unfinished: continued), then check the account and list
# its runs.
job_schedule() {
  apply_code=0
  licmove apply "$PLAN" --portal "$LICMOVE_PORTAL" --state "$LICMOVE_STATE" --yes \
    --resume-unfinished --report-junit junit.xml --report-markdown summary.md \
    --log-format json >events.jsonl 2>apply.err || apply_code=$?
  expect_code "licmove apply $PLAN --resume-unfinished" "$apply_code" 0
  plan_code=0
  licmove plan "$PLAN" --portal "$LICMOVE_PORTAL" --state "$LICMOVE_STATE" \
    --detailed-exitcode >plan.txt || plan_code=$?
  expect_code "licmove plan --detailed-exitcode" "$plan_code" 0
  licmove runs --state "$LICMOVE_STATE" --format json --account "$ACCOUNT" >runs.json ||
    expect_code "licmove runs --format json --account $ACCOUNT" $? 0
}

# ---- The events, each run for every account at once.

on_pull_request() {
  export LICMOVE_TOKEN=${viewer_token[$ACCOUNT]}
  job_plan
  grep -q ': ok (plan' validate.txt || fail "licmove validate did not say the plan is ok"
  [ "$plan_code" = 2 ] ||
    fail "licmove plan exited $plan_code: expected 2, the plan changes the account"
  grep -q '^# License change' plan.md || fail "plan.md is not the plan in Markdown"
  jq -e . saved.json >/dev/null || fail "saved.json is not the saved plan (JSON)"
}

on_merge() {
  export LICMOVE_TOKEN=${admin_token[$ACCOUNT]}
  APPLY_OK=0 job_apply
  # JUnit: well-formed XML with a test suite; against a schema if one is given.
  [ -s junit.xml ] || fail "no junit.xml"
  grep -q '<testsuite' junit.xml || fail "junit.xml has no <testsuite>"
  if command -v xmllint >/dev/null; then
    xmllint --noout junit.xml || fail "junit.xml is not well-formed XML"
    if [ -n "${JUNIT_XSD:-}" ]; then
      xmllint --noout --schema "$JUNIT_XSD" junit.xml ||
        fail "junit.xml does not validate against $JUNIT_XSD"
    fi
  fi
  # Markdown: under GitHub's 65,536-character limit for a comment or summary.
  [ -s summary.md ] || fail "no summary.md"
  [ "$(wc -m <summary.md)" -lt 65000 ] || fail "summary.md has 65,000 characters or more"
  # Events: JSON lines only, run_started first, run_finished last.
  jq -e -s 'length > 0 and all(.[]; type == "object" and has("event"))
            and .[0].event == "run_started" and .[-1].event == "run_finished"
            and any(.[]; .event == "op_finished")' events.jsonl >/dev/null ||
    fail "events.jsonl is not the event stream (JSON lines from run_started to run_finished)"
}

on_merge_rerun() {
  export LICMOVE_TOKEN=${admin_token[$ACCOUNT]}
  # Already applied: "no changes" (exit 0), or refused as stale (exit 6);
  # either way nothing is sent (checked on the portal's counters below).
  APPLY_OK="0 6" job_apply
  if [ "$apply_code" = 0 ]; then
    grep -q 'no changes' events.jsonl apply.err ||
      fail "the applied saved plan exited 0 without saying \"no changes\""
  fi
}

on_schedule() {
  export LICMOVE_TOKEN=${admin_token[$ACCOUNT]}
  job_schedule
  grep -q 'no changes' events.jsonl apply.err ||
    fail "the scheduled apply did not say \"no changes\""
  jq -e --arg a "$ACCOUNT" '.format == "licmove-runs" and all(.runs[]; .account == $a)
      and ([.runs[] | select(.kind == "apply" and .result == "completed")] | length) == 1' \
    runs.json >/dev/null ||
    fail "licmove runs does not show exactly one completed apply run of $ACCOUNT: $(cat runs.json)"
}

# run_event TITLE FUNCTION: FUNCTION for every account at once, each in a
# fresh workspace (a checkout: plans/ and nothing else); fails with the logs
# of the accounts whose job failed.
run_event() {
  local title=$1 fn=$2 i ws failed=0
  say "$title: ${accounts[*]}, side by side"
  job_pids=()
  for account in "${accounts[@]}"; do
    ws=$work/$account/$fn
    mkdir -p "$ws"
    ln -s "$plans" "$ws/plans"
    (cd "$ws" && ACCOUNT=$account PLAN=plans/$account.yaml EVENT=$title "$fn") >"$ws/log" 2>&1 &
    job_pids+=($!)
  done
  for i in "${!accounts[@]}"; do
    if ! wait "${job_pids[$i]}"; then
      failed=1
      say "---- ${accounts[$i]}: $title failed; its job's output:"
      sed 's/^/  | /' "$work/${accounts[$i]}/$fn/log" >&2
    fi
  done
  job_pids=()
  [ "$failed" = 0 ] || die "FAILED at $title"
}

# Calls that change the portal (POST, PUT, PATCH, DELETE under /api/), all
# accounts together, from portal-sim's counters.
mutations() {
  curl -sf "$portal/sim/stats" | jq '[.routes | to_entries[]
    | select(.key | test("^(POST|PUT|PATCH|DELETE) /api/")) | .value[]] | add // 0'
}

run_event "pull request" on_pull_request
[ "$(mutations)" = 0 ] || die "planning changed the portal"

run_event "merge to main" on_merge
changed=$(mutations)
[ "$changed" -gt 0 ] || die "the merge's apply made no change on the portal"
# Both accounts' runs are in the one PostgreSQL.
runs_in_pg=$("$pg_bin/psql" -X -q -A -t -h "$pg_dir" -p 5432 -U postgres \
  -d postgres -c "select count(distinct account) from licmove.runs")
[ "$runs_in_pg" = "${#accounts[@]}" ] ||
  die "expected runs of ${#accounts[@]} accounts in PostgreSQL, found $runs_in_pg"

run_event "the merge's apply job re-run" on_merge_rerun
[ "$(mutations)" = "$changed" ] || die "applying the applied saved plan again changed the portal"

run_event "the schedule" on_schedule
[ "$(mutations)" = "$changed" ] || die "the scheduled re-run changed the portal"

say "ok: ${#accounts[@]} accounts planned, applied once, re-run with no changes"
