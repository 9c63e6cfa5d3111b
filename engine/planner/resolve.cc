#include "planner/resolve.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace licmove {
namespace {

// Where an intent was written: a move from the plan's moves_csv names its CSV
// file; the others are in the plan file (file empty).
struct Place {
  std::string file;
  TextPosition where;
};

struct Error {
  Place at;
  int order;  // keeps errors on one line in the order they were found
  std::string message;
};

// Errors in the plan file first, then those in its CSV, each in line order.
class Errors {
 public:
  explicit Errors(const std::string& file) : file_(file) {}
  void Add(TextPosition where, std::string message) { Add(Place{"", where}, std::move(message)); }
  void Add(Place at, std::string message) {
    errors_.push_back({std::move(at), static_cast<int>(errors_.size()), std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  Status ToStatus() {
    std::sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
      return std::tie(a.at.file, a.at.where.line, a.at.where.column, a.order) <
             std::tie(b.at.file, b.at.where.line, b.at.where.column, b.order);
    });
    std::string text;
    for (const Error& e : errors_) {
      const TextPosition& where = e.at.where;
      if (!text.empty()) text += '\n';
      text += e.at.file.empty() ? file_ : e.at.file;
      if (where.line > 0) {
        text += ':' + std::to_string(where.line) + ':' + std::to_string(where.column);
      }
      text += ": " + e.message;
    }
    return Status::InvalidArgument(std::move(text));
  }

 private:
  std::string file_;
  std::vector<Error> errors_;
};

// A field's own position when the plan was read from a file, else the
// intent's.
TextPosition Or(TextPosition field, TextPosition intent) {
  return field.line > 0 ? field : intent;
}

// "line 12" for an intent in the file of the error that names it, "line 3 of
// plans/swaps.csv" for one in another.
std::string Line(const Place& p, const std::string& about_file, const std::string& plan_file) {
  std::string line = "line " + std::to_string(p.where.line);
  if (p.file != about_file) line += " of " + (p.file.empty() ? plan_file : p.file);
  return line;
}

// Licenses of one term choice, longest remaining validity first; expired ones
// are never handed out by a plan.
std::vector<int> Candidates(const AccountIndex& index, int service, const TermChoice& term) {
  std::vector<int> out;
  if (service < 0) return out;
  for (int l : index.Pool(service)) {
    if (index.Remaining(l) <= 0) continue;
    if (!term.longest && TermFromDays(index.license(l).term_days) != term.term) continue;
    out.push_back(l);
  }
  std::sort(out.begin(), out.end(), [&](int a, int b) {
    if (index.Remaining(a) != index.Remaining(b)) return index.Remaining(a) > index.Remaining(b);
    return index.license(a).key < index.license(b).key;
  });
  return out;
}

}  // namespace

Result<Placements> ResolvePlan(const Plan& plan, const AccountIndex& index) {
  Errors errors(plan.file);
  const std::string& account = index.account().name;
  if (plan.account != account) {
    errors.Add(plan.account_where, "the plan is for account " + plan.account +
                                       ", the snapshot is of account " + account);
  }
  Placements out;
  out.restore_sources = plan.options.restore_sources;

  // Moves: cameras, service, key guard.
  std::vector<bool> move_ok(plan.moves.size(), false);
  for (std::size_t i = 0; i < plan.moves.size(); ++i) {
    const MoveIntent& m = plan.moves[i];
    ResolvedMove r;
    r.where = m.where;
    r.file = m.file;
    r.to_where = Or(m.to_where, m.where);
    r.from = index.CameraIndex(m.from);
    r.to = index.CameraIndex(m.to);
    bool ok = true;
    if (r.from < 0) {
      errors.Add(Place{m.file, Or(m.from_where, m.where)},
                 "camera " + m.from + " is not in account " + account);
      ok = false;
    }
    if (r.to < 0) {
      errors.Add(Place{m.file, Or(m.to_where, m.where)},
                 "camera " + m.to + " is not in account " + account);
      ok = false;
    }
    if (m.from == m.to) {
      errors.Add(Place{m.file, m.where},
                 "camera " + m.from + " is both the source and the destination");
      ok = false;
    }
    if (r.from >= 0) {
      const std::span<const int> held = index.LicensesOn(r.from);
      if (m.service) {
        r.service = index.ServiceId(*m.service);
        r.license = r.service < 0 ? -1 : index.LicenseOn(r.from, r.service);
        if (r.license < 0) {
          errors.Add(Place{m.file, m.where},
                     "camera " + m.from + " holds no " + *m.service + " license");
          ok = false;
        }
      } else if (held.empty()) {
        errors.Add(Place{m.file, m.where}, "camera " + m.from + " holds no license to move");
        ok = false;
      } else if (held.size() > 1) {
        std::vector<std::string> names;
        for (int l : held) names.push_back(index.license(l).service);
        std::sort(names.begin(), names.end());
        std::string list;
        for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
        errors.Add(Place{m.file, m.where}, "camera " + m.from + " holds several services (" + list +
                                               "): say which one moves with `service:`");
        ok = false;
      } else {
        r.license = held[0];
        r.service = index.ServiceOf(r.license);
      }
      if (r.license >= 0 && m.key && index.license(r.license).key != *m.key) {
        errors.Add(Place{m.file, Or(m.key_where, m.where)},
                   "camera " + m.from + " holds " + index.license(r.license).key + " for " +
                       index.ServiceName(r.service) + ", not " + *m.key +
                       " (the move's key guard)");
        ok = false;
      }
    }
    if (r.license >= 0) {
      r.auto_renew = m.auto_renew.value_or(index.license(r.license).auto_renew);
    }
    r.release_destination = m.release_destination.value_or(plan.options.release_destinations);
    move_ok[i] = ok;
    out.moves.push_back(r);
  }

  // Two intents wanting one key, or one camera receiving a service twice.
  std::map<int, Place> moved_key;                  // license -> first move
  std::map<std::pair<int, int>, Place> receiving;  // (camera, service) -> first intent
  auto line = [&](const Place& first, const std::string& about_file) {
    return Line(first, about_file, plan.file);
  };
  for (std::size_t i = 0; i < out.moves.size(); ++i) {
    const ResolvedMove& r = out.moves[i];
    const Place at{plan.moves[i].file, r.where};
    if (r.license < 0) continue;
    auto [it, fresh] = moved_key.emplace(r.license, at);
    if (!fresh) {
      errors.Add(at, "license " + index.license(r.license).key + " on camera " +
                         index.camera(r.from).serial + " is already moved by the move at " +
                         line(it->second, at.file));
      move_ok[i] = false;
    }
    if (r.to < 0) continue;
    auto [rit, rfresh] = receiving.emplace(std::make_pair(r.to, r.service), at);
    if (!rfresh) {
      errors.Add(at, "camera " + index.camera(r.to).serial + " already receives " +
                         index.ServiceName(r.service) + " from the move at " +
                         line(rit->second, at.file));
      move_ok[i] = false;
    }
  }
  // A destination holds a service at the end unless its license moves away.
  auto holds_at_end = [&](int camera, int service) -> int {
    if (service < 0) return -1;
    int l = index.LicenseOn(camera, service);
    if (l >= 0 && moved_key.count(l)) return -1;
    return l;
  };
  for (std::size_t i = 0; i < out.moves.size(); ++i) {
    const ResolvedMove& r = out.moves[i];
    if (r.to < 0 || r.license < 0) continue;
    int held = holds_at_end(r.to, r.service);
    if (held >= 0 && !r.release_destination) {
      errors.Add(Place{plan.moves[i].file, r.to_where},
                 "camera " + index.camera(r.to).serial + " already holds " +
                     index.ServiceName(r.service) + " (" + index.license(held).key +
                     "); set release_destination: true to let that license go back "
                     "to the pool");
      move_ok[i] = false;
    }
  }

  // Assigns: cameras, duplicates, holders, then the picks in plan order.
  std::map<std::pair<int, int>, std::vector<int>> candidates_cache;  // (service, term)
  std::vector<bool> taken(index.num_licenses(), false);
  for (const AssignIntent& a : plan.assigns) {
    const int service = index.ServiceId(a.service);
    std::vector<ResolvedAssign> group;
    for (std::size_t j = 0; j < a.cameras.size(); ++j) {
      TextPosition where = j < a.camera_where.size() ? a.camera_where[j] : a.where;
      ResolvedAssign r;
      r.where = where;
      r.service = service;
      r.term = a.term;
      r.auto_renew = a.auto_renew.value_or(false);
      r.release_destination = plan.options.release_destinations;
      r.camera = index.CameraIndex(a.cameras[j]);
      if (r.camera < 0) {
        errors.Add(where, "camera " + a.cameras[j] + " is not in account " + account);
        continue;
      }
      if (service >= 0) {
        auto [rit, rfresh] = receiving.emplace(std::make_pair(r.camera, service), Place{"", where});
        if (!rfresh) {
          errors.Add(where, "camera " + a.cameras[j] + " already receives " + a.service +
                                " from the intent at " + line(rit->second, ""));
          continue;
        }
        int held = holds_at_end(r.camera, service);
        if (held >= 0 && !r.release_destination) {
          errors.Add(where, "camera " + a.cameras[j] + " already holds " + a.service + " (" +
                                index.license(held).key +
                                "); set options.release_destinations: true to let that license "
                                "go back to the pool");
          continue;
        }
      }
      group.push_back(r);
    }
    // Picks: the longest remaining validity of the term, not yet picked.
    auto key = std::make_pair(service, a.term.longest ? -1 : static_cast<int>(a.term.term));
    auto cit = candidates_cache.find(key);
    if (cit == candidates_cache.end()) {
      cit = candidates_cache.emplace(key, Candidates(index, service, a.term)).first;
    }
    std::vector<int> picks;
    for (int l : cit->second) {
      if (picks.size() == group.size()) break;
      if (!taken[l]) picks.push_back(l);
    }
    const int wanted = static_cast<int>(a.cameras.size());
    int available = 0;
    for (int l : cit->second) available += taken[l] ? 0 : 1;
    if (available < wanted) {
      errors.Add(a.where, "not enough " + TermChoiceName(a.term) + " " + a.service +
                              " licenses in the pool: " + std::to_string(wanted) +
                              (wanted == 1 ? " camera, " : " cameras, ") +
                              std::to_string(available) + " available");
      continue;
    }
    for (std::size_t j = 0; j < group.size(); ++j) {
      group[j].license = picks[j];
      taken[picks[j]] = true;
      out.assigns.push_back(group[j]);
    }
  }

  if (!errors.empty()) return errors.ToStatus();
  return out;
}

}  // namespace licmove
