#!/usr/bin/env bash
# install.deb: `cpack -G DEB` makes licmove_VERSION_ARCH.deb and its -dbgsym
# .ddeb. The package is installed by dpkg into a scratch root, against a copy
# of this system's dpkg database (--admindir: dpkg checks the dependencies
# as on this system; --instdir: the files go to the scratch root; nothing on
# this system changes), and its programs run from there on its own plan and
# fleet files. `apt-get install --simulate ./licmove_*.deb` checks that apt
# resolves every dependency dpkg-shlibdeps computed. (A real apt-get install
# into a scratch root, with Dir::State::status and Dpkg::Options pointed
# there, stops at apt's "Pathname to install is not absolute" for a local
# .deb.)
set -euo pipefail
build=${1:?usage: deb_test.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: deb_test.sh BUILD_DIR SOURCE_DIR}
. "$src/tests/install/lib.sh"

scratch=$(mktemp -d /tmp/licmove-deb-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log"; fail "cpack failed"; }
version=$(sed -n 's/^project(licmove VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
deb=$scratch/out/licmove_${version}_$arch.deb
ddeb=$scratch/out/licmove-dbgsym_${version}_$arch.ddeb
[ -f "$deb" ] || { ls -l "$scratch/out"; fail "no $(basename "$deb")"; }
[ -f "$ddeb" ] || { ls -l "$scratch/out"; fail "no $(basename "$ddeb")"; }

# The control fields: name, version, and the libraries the programs link.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = licmove ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version)"
depends=$(field Depends)
# Every library licmove links dynamically: the package that has it is a
# dependency (found here through ldd and dpkg -S, not dpkg-shlibdeps).
licmove=$build/src/licmove/licmove
for lib in $(readelf -d "$licmove" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
  path=$(ldd "$licmove" | awk -v l="$lib" '$1 == l {print $3}')
  [ -n "$path" ] || fail "ldd does not resolve $lib"
  pkg=$( (dpkg -S "$path" || dpkg -S "/usr$path") 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$pkg" ] || fail "no Debian package has $path"
  # A library's shlibs may name a package it provides (libspdlog1.10 gives
  # libspdlog1.10-fmt9): the package's name, or that name and a suffix.
  [[ ", $depends," == *", $pkg "* || ", $depends," == *", $pkg,"* ||
    ", $depends," == *", $pkg-"* ]] || fail "Depends lacks $pkg (for $lib): $depends"
done
echo "Depends: $depends"

# Installed into a scratch root.
root=$scratch/root
mkdir -p "$root"
cp -a /var/lib/dpkg "$scratch/dpkg"
# --no-triggers: man-db's trigger (the man pages) would run this system's
# mandb, which refuses a database outside the scratch root.
dpkg --admindir="$scratch/dpkg" --instdir="$root" --force-not-root --no-triggers -i "$deb" \
  >"$scratch/dpkg.log" 2>&1 || { cat "$scratch/dpkg.log"; fail "dpkg -i into the scratch root failed"; }
dpkg --admindir="$scratch/dpkg" -s licmove | grep -Eq '^Status: install ok (installed|triggers-awaited)$' ||
  fail "dpkg does not see licmove installed in the scratch database"
check_layout "$root/usr"
check_programs "$root/usr/bin" "$root/usr/share/licmove"

# The programs are stripped, and point at their debug info, which is in the
# .ddeb under its build id.
dbg=$scratch/dbg
dpkg-deb -x "$ddeb" "$dbg"
declare -A built=([licmove]=src/licmove/licmove [portal-sim]=src/portal_sim/portal-sim
  [licmove-fleetgen]=examples/generator/licmove-fleetgen)
for p in licmove portal-sim licmove-fleetgen; do
  f=$root/usr/bin/$p
  readelf -S "$f" | grep -q '\.debug_info' && fail "$p is not stripped"
  readelf -S "$f" | grep -q '\.gnu_debuglink' || fail "$p has no .gnu_debuglink"
  id=$(readelf -n "$f" | sed -n 's/^ *Build ID: *\([0-9a-f]*\)$/\1/p')
  [ -n "$id" ] || fail "$p has no build id"
  debug=$dbg/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
  readelf -S "$debug" 2>/dev/null | grep -q '\.debug_info' || fail "no debug info for $p at ${debug#"$dbg"}"
  echo "$p: $(stat -c %s "$build/${built[$p]}") bytes built, $(stat -c %s "$f") installed," \
    "$(stat -c %s "$debug") debug info"
done
echo "package sizes: $(stat -c %s "$deb") bytes .deb, $(stat -c %s "$ddeb") bytes .ddeb"

# apt resolves the dependencies on this system (simulated: nothing changes).
# apt-get wants a path with a slash for a local file.
if ! (cd "$scratch/out" && apt-get install --simulate -q "./$(basename "$deb")") \
  >"$scratch/apt.log" 2>&1; then
  cat "$scratch/apt.log"
  fail "apt-get install --simulate ./$(basename "$deb") failed"
fi
grep -q '^Inst licmove ' "$scratch/apt.log" || { cat "$scratch/apt.log"; fail "apt would not install licmove"; }
echo "install.deb: ok"
