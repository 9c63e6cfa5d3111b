#!/usr/bin/env bash
# licmove's one entry point for set-up, build, tests and the demo.
#
#   ./dev.sh demo    install what is missing, build what the demo runs, run it
#   ./dev.sh test    install what is missing, build, run every test (ctest)
#   ./dev.sh build   install what is missing, build
#   ./dev.sh asan    build with clang + ASan + UBSan in build-asan/, run every test
#   ./dev.sh tsan    build with clang + TSan in build-tsan/, run the tests of
#                    the concurrent parts (ctest -L concurrent)
#   ./dev.sh clang   build everything with plain clang in build-clang/
#   ./dev.sh fuzz TARGET [libFuzzer flags]   fuzz one fuzz/ target (build-fuzz/)
#
# Every step is idempotent: on a machine that is already set up, `./dev.sh
# test` only rebuilds what changed. BUILD_DIR (default build/, or the folder
# named above), JOBS (default: number of cores) and LICMOVE_WERROR=1 (warnings
# fail the build; CI sets it) can be set in the environment.
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
jobs=${JOBS:-$(nproc)}
clang_cxx=${CLANG_CXX:-clang++-14}

# ccache: hits across clones in other folders (CI builds a fresh clone).
export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=true

# Sanitizer reports end the process with a failure, with a stack, so that the
# test that ran into one fails. Child processes (licmove, portal-sim) inherit
# these.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
# Reports name file:line (llvm-14, from scripts/install-deps.sh).
if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-14/bin/llvm-symbolizer}
  export PATH="$PATH:/usr/lib/llvm-14/bin"
fi

# configure DIR [cmake -D options...]: the first time, generate DIR; later,
# only update the options given.
configure() {
  local dir=$1
  shift
  local werror=OFF
  [ "${LICMOVE_WERROR:-0}" = 1 ] && werror=ON
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$top" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLICMOVE_WERROR=$werror "$@" >/dev/null
  else
    cmake "$dir" -DLICMOVE_WERROR=$werror "$@" >/dev/null
  fi
}

# setup DIR [cmake -D options...]: install what is missing, configure, build.
setup() {
  local dir=$1
  shift
  "$top/scripts/install-deps.sh"
  configure "$dir" "$@"
  cmake --build "$dir" -j "$jobs"
}

run_ctest() {
  local dir=$1
  shift
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 600 "$@")
}

cmd=${1:-}
case "$cmd" in
  build)
    setup "${BUILD_DIR:-$top/build}"
    ;;
  test)
    setup "${BUILD_DIR:-$top/build}"
    run_ctest "${BUILD_DIR:-$top/build}"
    ;;
  asan)
    dir=${BUILD_DIR:-$top/build-asan}
    setup "$dir" -DCMAKE_CXX_COMPILER="$clang_cxx" -DLICMOVE_SANITIZE=address,undefined \
      -DLICMOVE_BUILD_BENCHMARKS=OFF
    # All but: the 50 MB plan (its ~750 MB peak triples under ASan); the
    # kill at every journal boundary with the state in PostgreSQL (the
    # directory variant runs the same driver and executor code; the
    # PostgreSQL backend's paths run in state_test, pg_state_test and the
    # mid-request kills); the packaging tests (cmake --install, dpkg-deb, the
    # completions: scripts and packaging tools, no code of ours to check, 43 s
    # under ASan). All run in the plain suite.
    run_ctest "$dir" -E 'FiftyMegabytePlan|ResumeFromEveryJournalBoundary/pg|^install\.'
    ;;
  tsan)
    dir=${BUILD_DIR:-$top/build-tsan}
    "$top/scripts/install-deps.sh"
    configure "$dir" -DCMAKE_CXX_COMPILER="$clang_cxx" -DLICMOVE_SANITIZE=thread \
      -DLICMOVE_BUILD_BENCHMARKS=OFF
    # Only the programs the concurrent tests run.
    cmake --build "$dir" -j "$jobs" --target executor_test executor_sim_test portal_test \
      sim_test crash_test run_safety_test scheduled_run_test apply_cli_test plan_portal_test \
      pg_state_test runs_json_test first_contact_test state_test licmove portal-sim \
      licmove-fleetgen audit_cli_test audit_html_test show_cli_test auto_parallelism_test \
      plan_at_cli_test forecast_vs_sim_test account_reader_sim_test rollback_output_test
    # The kills at every journal boundary are sequential (one process at a
    # time); races are in the rest, and ASan runs them.
    run_ctest "$dir" -L concurrent -E 'ResumeFromEveryJournalBoundary'
    ;;
  clang)
    setup "${BUILD_DIR:-$top/build-clang}" -DCMAKE_CXX_COMPILER="$clang_cxx"
    ;;
  fuzz)
    target=${2:?usage: ./dev.sh fuzz TARGET [libFuzzer flags], TARGET one of fuzz/corpus/*}
    shift 2
    [ -d "$top/fuzz/corpus/$target" ] || { echo "no fuzz target $target" >&2; exit 2; }
    dir=${BUILD_DIR:-$top/build-fuzz}
    "$top/scripts/install-deps.sh"
    configure "$dir" -DCMAKE_CXX_COMPILER="$clang_cxx" -DLICMOVE_FUZZ=ON \
      -DLICMOVE_SANITIZE=address,undefined -DLICMOVE_BUILD_TESTS=OFF \
      -DLICMOVE_BUILD_BENCHMARKS=OFF
    cmake --build "$dir" -j "$jobs" --target "fuzz_$target"
    # New inputs go to a scratch corpus; the checked-in one only seeds it
    # (docs/CONTRIBUTING.md says how to fold finds back in).
    work="$dir/corpus/$target"
    mkdir -p "$work" "$dir/artifacts"
    dict=()
    [ -f "$top/fuzz/$target.dict" ] && dict=(-dict="$top/fuzz/$target.dict")
    "$dir/fuzz/fuzz_$target" "${dict[@]}" -artifact_prefix="$dir/artifacts/$target-" \
      "$@" "$work" "$top/fuzz/corpus/$target"
    ;;
  demo)
    dir=${BUILD_DIR:-$top/build}
    "$top/scripts/install-deps.sh"
    configure "$dir"
    # Only the programs examples/demo.sh runs, not the tests and benchmarks.
    cmake --build "$dir" -j "$jobs" --target licmove licmove-fleetgen
    "$top/examples/demo.sh" "$dir"
    ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$cmd" ] || [ "$cmd" = "-h" ] || [ "$cmd" = "--help" ] || exit 2
    ;;
esac
