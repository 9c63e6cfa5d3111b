#!/usr/bin/env bash
# Installs everything licmove needs on Debian 12 (run as root, or with sudo
# available): clang 14 and its runtimes (libFuzzer, sanitizers) and
# llvm-symbolizer too, for ./dev.sh asan, tsan, clang and fuzz; help2man
# (man pages), dpkg-dev and file (cpack -G DEB: dpkg-shlibdeps computes the
# package's dependencies) and zsh (the test of the zsh completion).
# Idempotent: when every package is present it does no network I/O and
# returns in well under a second.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  build-essential cmake ninja-build ccache pkg-config git curl jq
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
  libssl-dev wrk hyperfine libxml2-utils
  libjemalloc-dev  # the allocator: huge pages for the 100,000-camera fleets (docs/PERFORMANCE.md)
  libpcre2-dev  # the schemas' patterns, checked at the speed of a 100,000-camera fleet
  postgresql libpq-dev
  clang-14 libclang-rt-14-dev llvm-14
  help2man dpkg-dev file zsh
  chromium  # headless: the audit's HTML report rendered by a ctest (tests/audit)
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# valijson: header-only. The Debian package depends on Qt, Poco and others for
# adapters we do not use, so we unpack only its headers into .deps/.
vj="$here/.deps/valijson"
if [ ! -f "$vj/usr/include/valijson/validator.hpp" ]; then
  echo "install-deps: unpacking valijson headers into .deps/"
  apt_update_once
  tmp=$(mktemp -d)
  chmod 755 "$tmp"
  (cd "$tmp" && apt-get download -qq libvalijson-dev >/dev/null)
  rm -rf "$vj"
  mkdir -p "$vj"
  dpkg-deb -x "$tmp"/libvalijson-dev_*.deb "$vj"
  rm -rf "$tmp"
fi

# OpenAPI linter for schemas/portal-api.v1.yaml (ctest: openapi_lint): Redocly
# CLI from the npm registry, pinned by tools/openapi-lint/package-lock.json.
# npm comes with the nodejs package this machine image ships (Debian's own npm
# package conflicts with it); apt is asked only when node itself is missing.
# Redocly CLI 2.x wants node >= 20.19.
lint="$here/tools/openapi-lint"
if [ ! -d "$lint/node_modules/@redocly/cli" ]; then
  if ! command -v node >/dev/null 2>&1; then
    echo "install-deps: installing nodejs"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs >/dev/null
    if ! command -v npm >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
    fi
  fi
  echo "install-deps: installing the OpenAPI linter into tools/openapi-lint/node_modules"
  (cd "$lint" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# A second JSON Schema validator for schemas/*.schema.json (ctest:
# schema_lint): Ajv in strict mode with ajv-formats, and yaml to read plans
# and fleets as licmove does, pinned by tools/schema-lint/package-lock.json.
# node and npm are there by now (see above).
schema_lint="$here/tools/schema-lint"
if [ ! -d "$schema_lint/node_modules/ajv-cli" ] || [ ! -d "$schema_lint/node_modules/yaml" ]; then
  echo "install-deps: installing the schema linter into tools/schema-lint/node_modules"
  (cd "$schema_lint" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
