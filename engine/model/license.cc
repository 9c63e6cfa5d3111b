#include "model/license.h"

#include <algorithm>

namespace licmove {

int TermDays(Term term) {
  return kTermDays[static_cast<int>(term)];
}

std::string_view TermName(Term term) {
  switch (term) {
    case Term::kDemo:
      return "demo";
    case Term::kOneYear:
      return "1y";
    case Term::kThreeYears:
      return "3y";
    case Term::kFiveYears:
      return "5y";
  }
  return "?";
}

std::optional<Term> TermFromName(std::string_view name) {
  for (Term t : {Term::kDemo, Term::kOneYear, Term::kThreeYears, Term::kFiveYears}) {
    if (TermName(t) == name) return t;
  }
  return std::nullopt;
}

std::optional<Term> TermFromDays(int days) {
  for (Term t : {Term::kDemo, Term::kOneYear, Term::kThreeYears, Term::kFiveYears}) {
    if (TermDays(t) == days) return t;
  }
  return std::nullopt;
}

std::string TermLabelForDays(int days) {
  if (auto t = TermFromDays(days)) return std::string(TermName(*t));
  return std::to_string(days) + "d";
}

std::optional<TermChoice> TermChoiceFromName(std::string_view name) {
  if (name == "longest") return TermChoice{true, Term::kFiveYears};
  if (auto t = TermFromName(name)) return TermChoice{false, *t};
  return std::nullopt;
}

std::string TermChoiceName(const TermChoice& choice) {
  return choice.longest ? "longest" : std::string(TermName(choice.term));
}

std::optional<UnixSeconds> License::expires_at() const {
  if (!activated_at) return std::nullopt;
  return *activated_at + static_cast<std::int64_t>(term_days) * kSecondsPerDay;
}

std::int64_t RemainingSeconds(const License& license, UnixSeconds now) {
  if (!license.activated_at) return static_cast<std::int64_t>(license.term_days) * kSecondsPerDay;
  return std::max<std::int64_t>(0, *license.expires_at() - now);
}

int RemainingDays(const License& license, UnixSeconds now) {
  return static_cast<int>(RemainingSeconds(license, now) / kSecondsPerDay);
}

std::string MaskKey(std::string_view key) {
  if (key.size() <= 4) return std::string(key);
  return "..." + std::string(key.substr(key.size() - 4));
}

}  // namespace licmove
