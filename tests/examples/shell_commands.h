// The licmove command lines in a piece of shell, and a form of them that can
// be compared across files: what ci_examples_test compares between the CI
// workflows' `run:`/`script:` steps and examples/ci/run-local.sh.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace licmove::testing {

// Every simple command whose command word is the bare, unquoted word
// `licmove`, in order of appearance, as its words after `licmove` (quotes
// still on them). Redirections are left out; a command ends at a newline
// (continuation lines are joined), `;`, `&`, `&&`, `|`, `||` or a
// parenthesis. Not found: licmove inside $(...), backquotes or a string, a
// function named licmove, comments. The shell is only read, never run, and
// only as much of its grammar as finding commands needs: quotes, $ forms
// (including GitHub's ${{ ... }}), comments, operators and redirections;
// not here-documents.
[[nodiscard]] std::vector<std::vector<std::string>> FindLicmoveCommands(std::string_view shell);

// One command as a comparable line, "licmove WORD ...": quotes removed, every
// expansion ($NAME, ${...}, ${{ ... }}, $(...), `...`) written `$VAR`; the
// values of --portal and --state (and its alias --state-dir) written `$VAR`
// whatever they are, since a local run and a CI job necessarily name other
// portals and states; --token-file and its value dropped, since a job may
// give the token in LICMOVE_TOKEN instead. `--flag=value` counts as
// `--flag value`.
[[nodiscard]] std::string NormalizeLicmoveCommand(const std::vector<std::string>& words);

}  // namespace licmove::testing
