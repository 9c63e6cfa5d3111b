#!/usr/bin/env bash
# The demo's output in a file, and with NO_COLOR set, holds no escape bytes
# (issue 14). Usage: demo_output_test.sh BUILD_DIR
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
esc=$(printf '\033')
"$top/examples/demo.sh" "$build" >"$out/stdout" 2>"$out/stderr"
if grep -q "$esc" "$out/stdout" "$out/stderr"; then
  echo "escape bytes in the demo's output written to a file:" >&2
  grep -n "$esc" "$out/stdout" "$out/stderr" | cat -v >&2
  exit 1
fi
grep -q '^== 1. Validate' "$out/stdout" || { echo "no plain step heading" >&2; exit 1; }
# NO_COLOR: the licmove binary itself, stdout and stderr files.
NO_COLOR=1 "$build/src/licmove/licmove" plan "$top/plans/move.yaml" \
  --snapshot "$top/examples/fleets/small.yaml" >"$out/plan" 2>&1
if grep -q "$esc" "$out/plan"; then
  echo "escape bytes in licmove plan's output" >&2
  exit 1
fi
echo "no escape bytes"
