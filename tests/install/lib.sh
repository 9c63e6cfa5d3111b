# Shared by the install tests: sourced, with $build and $src set.
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The subcommands `licmove [WORD...] --help` lists (CLI11: the "Subcommands:"
# section, entries indented by two spaces).
subcommands() {
  "$build/src/licmove/licmove" "$@" --help |
    awk '/^[A-Za-z][^:]*:$/ {s = $0; next} s == "Subcommands:" && /^  [a-z]/ {print $1}'
}

# check_layout ROOT: everything an install under ROOT (a prefix such as /usr)
# must hold.
check_layout() {
  local root=$1 f sub
  for f in bin/licmove bin/portal-sim bin/licmove-fleetgen; do
    [ -x "$root/$f" ] || fail "$root/$f missing or not executable"
  done
  for f in schemas/plan.v1.schema.json schemas/fleet.v1.schema.json schemas/portal-api.v1.yaml \
    plans/move.yaml plans/assign-5y.yaml plans/template.yaml plans/bulk-10k.yaml \
    examples/fleets/small.yaml examples/fleets/two-accounts.yaml; do
    cmp -s "$src/$f" "$root/share/licmove/$f" || fail "share/licmove/$f missing or not the repository's"
  done
  [ -f "$root/share/bash-completion/completions/licmove" ] || fail "bash completion missing"
  [ -f "$root/share/zsh/vendor-completions/_licmove" ] || fail "zsh completion missing"
  [ -f "$root/share/doc/licmove/README.md" ] || fail "README.md missing"
  # A man page per program and per licmove subcommand (nested ones too).
  local pages=(licmove portal-sim licmove-fleetgen)
  for sub in $(subcommands); do
    # `help` and `version` say what licmove.1 says: no page of their own.
    case $sub in help | version) continue ;; esac
    pages+=("licmove-$sub")
    for f in $(subcommands "$sub"); do pages+=("licmove-$sub-$f"); done
  done
  for f in "${pages[@]}"; do
    local page=$root/share/man/man1/$f.1
    [ -s "$page" ] || fail "man page $f.1 missing"
    grep -q '^\.TH' "$page" || fail "$f.1 is not a man page"
    grep -q '^\.SH DESCRIPTION' "$page" || fail "$f.1 has no DESCRIPTION"
    ! grep -q '??' "$page" || fail "$f.1 has text mangled into '??' (help2man's locale)"
  done
  # licmove's page has its subcommands, plan's its flags.
  grep -q 'rollback' "$root/share/man/man1/licmove.1" || fail "licmove.1 does not list rollback"
  grep -q 'snapshot' "$root/share/man/man1/licmove-plan.1" || fail "licmove-plan.1 lacks --snapshot"
  echo "layout of $root: ${#pages[@]} man pages, completions, schemas, plans, fleets: ok"
}

# check_programs BINDIR SHAREDIR: the installed programs run, on the installed
# files, and say what the build tree's say on the repository's.
check_programs() {
  local bin=$1 share=$2 out code
  out=$("$bin/licmove" --version) || fail "licmove --version failed"
  [[ $out == *"$(sed -n 's/^project(licmove VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"* ]] ||
    fail "licmove --version says '$out'"
  "$bin/portal-sim" --help >/dev/null || fail "portal-sim --help failed"
  "$bin/licmove-fleetgen" --help >/dev/null || fail "licmove-fleetgen --help failed"
  (cd "$share" && "$bin/licmove" validate plans/move.yaml examples/fleets/small.yaml >/dev/null) ||
    fail "the installed licmove rejects the installed plan or fleet"
  set +e
  out=$(cd "$share" && "$bin/licmove" plan plans/move.yaml --snapshot examples/fleets/small.yaml \
    --detailed-exitcode)
  code=$?
  set -e
  [ "$code" -eq 2 ] || fail "plan --detailed-exitcode: exit $code, expected 2 (changes)"
  [[ $out == *AM-5Y-0001* && $out == *CAM-0007* ]] || fail "plan output lacks the move: $out"
  local expected
  expected=$(cd "$src" && "$build/src/licmove/licmove" plan plans/move.yaml \
    --snapshot examples/fleets/small.yaml) || true
  [ "$out" = "$expected" ] || fail "installed plan output differs from the build tree's"
  echo "programs in $bin: --version '$("$bin/licmove" --version)', plan output as the build tree's: ok"
}
