// Saved plans (`licmove plan --out SAVED`): the op graph plus a binding — the
// state of every camera and license the plan depends on, as planned — so that
// a later apply can refuse to run a plan whose account has changed under it.
//
// Format (JSON, docs/PLANNER.md "Saved plans"):
//   {"format":"licmove-saved-plan", "format_version":1, "licmove_version",
//    "plan_file", "account", "planned_at", "binding":{cameras, licenses, pools},
//    "ops":[...same as `plan --format json`...], "summary":{...}}
// Version policy: a reader accepts exactly the format_version it knows and
// refuses any other with a message saying to plan again; a saved plan is a
// short-lived artefact (minutes to days), never migrated. Within a version,
// fields are only ever added, and readers ignore fields they do not know.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/account.h"
#include "model/status.h"
#include "planner/op_graph.h"
#include "planner/planner.h"

namespace licmove {

inline constexpr int kSavedPlanFormatVersion = 1;

struct BoundService {
  std::string service;
  std::string key;
  bool auto_renew = false;
};

struct BoundCamera {
  std::string serial;
  std::string id;  // the portal's id; empty when the snapshot has none (not checked then)
  std::string name;
  std::string site;
  std::vector<BoundService> services;  // by service
};

struct BoundLicense {
  std::string key;
  std::string service;
  int term_days = 0;
  std::optional<UnixSeconds> activated_at;
  std::string assigned_to;             // serial; empty: the pool
  std::int64_t remaining_seconds = 0;  // at planned_at
};

// Every pool key of a service the plan activates: a key joining or leaving
// that pool changes what the portal hands out.
struct BoundPool {
  std::string service;
  std::vector<std::string> keys;  // sorted
};

struct Binding {
  std::vector<BoundCamera> cameras;    // every camera an op names, by serial
  std::vector<BoundLicense> licenses;  // on those cameras, named by ops, in bound pools; by key
  std::vector<BoundPool> pools;
};

// A plan made with `plan --at`: against the forecast of the account read at
// `read_at`, played forward by R7 to `at`. Its binding is the forecast state,
// so an apply must see the live account as the forecast said it would be.
struct ForecastBasis {
  UnixSeconds read_at = 0;
  UnixSeconds at = 0;
};

struct SavedPlan {
  int format_version = kSavedPlanFormatVersion;
  std::string licmove_version;
  std::string plan_file;
  std::string plan_identity;  // of the plan file it was planned from; may be empty
  std::string account;
  UnixSeconds planned_at = 0;
  Binding binding;
  OpGraph graph;
  std::optional<ForecastBasis> forecast;  // "forecast" in the file; absent: planned as read
};

Binding BindPlan(const PlannedChange& plan, const AccountSnapshot& snapshot);
// The saved plan as JSON text. `snapshot` is the one `plan` was built from.
// `forecast`: the plan was made with `plan --at` against `snapshot`, the
// forecast state.
std::string SaveGraph(const PlannedChange& plan, const AccountSnapshot& snapshot,
                      const std::string& licmove_version,
                      const std::optional<ForecastBasis>& forecast = std::nullopt);
// `file` names the text in messages. Refuses unknown versions and bad graphs.
Result<SavedPlan> LoadSavedPlan(std::string_view text, const std::string& file);
// OK when every bound camera and license is as planned and the bound pools
// hold the same keys; otherwise Conflict naming each change, one a line (for
// a plan made --at, as where the account differs from the forecast).
Status CheckBinding(const SavedPlan& saved, const AccountSnapshot& current);

}  // namespace licmove
