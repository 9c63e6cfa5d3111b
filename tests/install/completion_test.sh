#!/usr/bin/env bash
# install.completion: the bash and zsh completions the build generates
# (scripts/gen-completions.sh) offer every subcommand and every flag that
# `licmove [SUBCOMMAND...] --help` lists, run in bash and in zsh as a shell
# would run them; flag values and choices are skipped and offered.
set -euo pipefail
build=${1:?usage: completion_test.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: completion_test.sh BUILD_DIR SOURCE_DIR}
. "$src/tests/install/lib.sh"
licmove=$build/src/licmove/licmove
bash_file=$build/completions/licmove
zsh_file=$build/completions/_licmove
[ -f "$bash_file" ] && [ -f "$zsh_file" ] || fail "no completions in $build/completions"

# flags WORD...: every spelling of every flag in `licmove WORD... --help`.
flags() {
  "$licmove" "$@" --help | grep -E '^  -' | awk '{print $1}' | tr ',' '\n' | sort -u
}

# bash_complete WORD...: what bash offers for the last word (may be empty).
bash_complete() {
  bash -c '
    source "$1"; shift
    COMP_WORDS=(licmove "$@"); COMP_CWORD=$#
    _licmove
    printf "%s\n" "${COMPREPLY[@]}"' bash "$bash_file" "$@" | sed '/^$/d' | sort -u
}

# zsh_complete WORD...: the same in zsh, with compadd and _files stubbed
# (what a completion widget provides), words/CURRENT/PREFIX set as zsh sets
# them.
zsh_complete() {
  zsh -f -c '
    file=$1; shift
    compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift
                print -l -- "${(@M)@:#${PREFIX}*}"; }
    _files() { print -- "<files>"; }
    words=(licmove "$@"); CURRENT=$#words; PREFIX=${words[CURRENT]}
    source "$file"' zsh "$zsh_file" "$@" | sed '/^$/d' | sort -u
}

checks=0
# expect SHELL WANT WORD...: the completion offers exactly WANT (lines).
expect() {
  local shell=$1 want=$2 got
  shift 2
  got=$("${shell}_complete" "$@")
  if [ "$got" != "$(printf '%s\n' "$want" | sed '/^$/d' | sort -u)" ]; then
    echo "$shell, 'licmove $*': got:" >&2
    echo "$got" >&2
    echo "wanted:" >&2
    echo "$want" >&2
    fail "$shell completion of 'licmove $*'"
  fi
  checks=$((checks + 1))
}

zsh -n "$zsh_file" || fail "zsh cannot parse $zsh_file"
bash -n "$bash_file" || fail "bash cannot parse $bash_file"

# Every subcommand path, nested ones too: its subcommands and its flags.
paths=("")
for sub in $(subcommands); do
  paths+=("$sub")
  for nested in $(subcommands "$sub"); do paths+=("$sub $nested"); done
done
[ "${#paths[@]}" -gt 8 ] || fail "licmove --help lists too few subcommands: ${paths[*]}"
for shell in bash zsh; do
  for p in "${paths[@]}"; do
    # shellcheck disable=SC2086 # p is words
    expect "$shell" "$(flags $p)" $p -
    subs=$(subcommands $p)
    if [ -n "$subs" ]; then expect "$shell" "$subs" $p ""; fi
  done
done

# Prefixes, a flag's value skipped, a flag's choices, files where a value or
# positional is a path.
for shell in bash zsh; do
  expect "$shell" "plan" pl
  expect "$shell" "$(flags plan | grep '^--sn')" plan --sn
  expect "$shell" "$(flags plan)" plan --snapshot fleet.yaml -
  expect "$shell" "migrate" state ""
  expect "$shell" "$(flags state migrate)" state migrate -
done
expect zsh "<files>" plan ""
expect zsh "<files>" plan --snapshot ""
expect bash "" plan --snapshot ""
choices=$("$licmove" plan --help | sed -n 's/^  --format [A-Z]*:{\([^}]*\)}.*/\1/p' | tr ',' '\n')
if [ -n "$choices" ]; then
  expect bash "$choices" plan --format ""
  expect zsh "$choices" plan --format ""
fi
echo "install.completion: ${#paths[@]} subcommand paths, $checks checks in bash and zsh: ok"
