#!/usr/bin/env bash
# licmove's one entry point for set-up, build, tests and the demo.
#
#   ./dev.sh demo    install what is missing, build, run the demo
#   ./dev.sh test    install what is missing, build, run every test (ctest)
#   ./dev.sh build   install what is missing, build
#
# Every step is idempotent: on a machine that is already set up, `./dev.sh
# test` only rebuilds what changed. BUILD_DIR (default build/) and JOBS
# (default: number of cores) can be set in the environment.
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
build_dir=${BUILD_DIR:-$top/build}
jobs=${JOBS:-$(nproc)}

# ccache: hits across clones in other folders (CI builds a fresh clone).
export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=true

setup() {
  "$top/scripts/install-deps.sh"
  if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S "$top" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build "$build_dir" -j "$jobs"
}

cmd=${1:-}
case "$cmd" in
  build)
    setup
    ;;
  test)
    setup
    cd "$build_dir"
    ctest --output-on-failure -j "$jobs" --timeout 600
    ;;
  demo)
    setup
    "$top/examples/demo.sh" "$build_dir"
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$cmd" ] || [ "$cmd" = "-h" ] || [ "$cmd" = "--help" ] || exit 2
    ;;
esac
