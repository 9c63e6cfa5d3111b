#!/usr/bin/env bash
# install.cmake_install: `cmake --install BUILD --prefix SCRATCH` puts every
# file in place (programs, man pages, completions, schemas, plans, fleets),
# and the installed programs run on the installed files.
set -euo pipefail
build=${1:?usage: cmake_install_test.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: cmake_install_test.sh BUILD_DIR SOURCE_DIR}
. "$src/tests/install/lib.sh"

scratch=$(mktemp -d /tmp/licmove-install-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix

cmake --install "$build" --prefix "$prefix" >"$scratch/install.log" ||
  { cat "$scratch/install.log"; fail "cmake --install failed"; }
check_layout "$prefix"
check_programs "$prefix/bin" "$prefix/share/licmove"

# Nothing outside the prefix: every installed path is under it.
if grep -v "^-- Installing: $prefix/\|^-- Install configuration:\|^-- Up-to-date: $prefix/" \
  "$scratch/install.log"; then
  fail "cmake --install wrote outside $prefix (above)"
fi

# --strip: the programs lose their debug info.
cmake --install "$build" --prefix "$scratch/stripped" --strip >/dev/null
readelf -S "$scratch/stripped/bin/licmove" | grep -q '\.debug_info' &&
  fail "--strip left .debug_info in licmove"
echo "licmove: $(stat -c %s "$prefix/bin/licmove") bytes, $(stat -c %s "$scratch/stripped/bin/licmove") stripped"
echo "install.cmake_install: ok"
