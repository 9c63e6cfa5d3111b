// Licenses, their terms and their remaining validity (DESIGN §1).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/timestamp.h"

namespace licmove {

// The terms the vendor sells. A license's term is stored in days; a fleet may
// hold other day counts, which then have no name.
enum class Term { kDemo, kOneYear, kThreeYears, kFiveYears };

inline constexpr int kTermDays[] = {90, 365, 1095, 1825};

int TermDays(Term term);
// "demo", "1y", "3y", "5y".
std::string_view TermName(Term term);
std::optional<Term> TermFromName(std::string_view name);
std::optional<Term> TermFromDays(int days);
// "5y" for 1825, "400d" for a day count without a name.
std::string TermLabelForDays(int days);

// How a plan's `assign` chooses licenses: a fixed term, or the longest
// remaining validity in the pool regardless of term.
struct TermChoice {
  bool longest = false;
  Term term = Term::kFiveYears;  // meaningful when !longest
};
// "demo" | "1y" | "3y" | "5y" | "longest".
std::optional<TermChoice> TermChoiceFromName(std::string_view name);
std::string TermChoiceName(const TermChoice& choice);

struct License {
  std::string key;      // opaque, globally unique
  std::string service;  // e.g. "alarm-management"
  int term_days = 0;
  std::optional<UnixSeconds> activated_at;  // nullopt until first activation
  std::string assigned_to;                  // camera serial; empty when in the pool
  bool auto_renew = false;                  // meaningful while assigned

  bool assigned() const { return !assigned_to.empty(); }
  std::optional<UnixSeconds> expires_at() const;
};

// Seconds of validity left at `now`: the whole term if never activated, else
// until expiry (never negative). The portal hands out the pool license with
// the smallest value of this.
std::int64_t RemainingSeconds(const License& license, UnixSeconds now);
// RemainingSeconds rounded down to whole days, as the portal API shows it.
int RemainingDays(const License& license, UnixSeconds now);

// A key as logs show it: "...0001". Keys are complete in the journal and in
// plan output; logs and progress lines mask them.
std::string MaskKey(std::string_view key);

}  // namespace licmove
