// licmove's exit codes. Documented in README.md ("Exit codes"); scripts and CI
// depend on them, so a value never changes meaning.
#pragma once

namespace licmove {

inline constexpr int kExitOk = 0;            // done; for plan --detailed-exitcode: no changes
inline constexpr int kExitError = 1;         // a runtime failure: portal, I/O, planning
inline constexpr int kExitChanges = 2;       // plan --detailed-exitcode: the plan changes things
inline constexpr int kExitInvalidInput = 3;  // a plan or fleet file failed validation
inline constexpr int kExitVerification =
    4;  // the portal did not do what the plan predicted, or the account changed under the run
inline constexpr int kExitLocked = 5;  // another run holds the account's lock
inline constexpr int kExitRefused =
    6;  // not applied: not confirmed, a stale saved plan, a rolled-back run
inline constexpr int kExitUsage = 64;         // bad command line (as sysexits' EX_USAGE)
inline constexpr int kExitInterrupted = 130;  // SIGINT/SIGTERM/SIGHUP: stopped cleanly, resumable

}  // namespace licmove
