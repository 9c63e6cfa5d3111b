// `licmove audit`: what an operator checks before a maintenance window
// (DESIGN §7), as one value the renderers (audit/render.h) turn into text,
// JSON, Markdown or HTML. The CLI gathers the parts (the account, the runs
// in the state backend, the forecast, a plan's keys); this file only holds
// and judges them. Pure: no network, no disk.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/inventory.h"
#include "forecast/forecast.h"

namespace licmove {

// A run on the account that did not complete and was not rolled back, and
// what its journal says it left outside the account.
struct UnfinishedRunAudit {
  std::string run_id;
  std::string kind;    // "apply", "rollback", ...
  std::string result;  // "unfinished", "running", "failed", ...
  UnixSeconds started_at = 0;
  std::vector<std::string> parked_keys;        // parked, not unparked: out of the account
  std::vector<std::string> maybe_parked_keys;  // a park sent, its outcome unknown
  std::vector<std::string> removed_cameras;    // serials removed, not added back
  std::string error;  // the journal could not be read (then the lists are empty)
};

// `--window START..END`: the forecast's events in it.
struct WindowAudit {
  UnixSeconds start = 0;
  UnixSeconds end = 0;
  std::vector<ForecastEvent> events;  // start <= at <= end, in forecast order
};

// `--plan PLAN`: the keys the plan depends on, and which of them the
// forecast changes (expired, or renewed onto another camera) before `by`.
struct PlanKeysAudit {
  std::string plan_file;
  UnixSeconds by = 0;                     // the window's start (else the horizon)
  std::vector<std::string> guard_keys;    // the moves' `key:` guards
  std::vector<std::string> carried_keys;  // the keys its activations would place, planned now
  std::vector<std::string> changed_keys;  // of both, those changed by `by`
  std::string plan_error;                 // it could not be planned now (guards still checked)
};

struct Audit {
  std::string account;
  std::string source;  // "sim://...", "https://...", or the fleet file
  std::string state;   // the state backend's description
  Inventory inventory;
  std::vector<UnfinishedRunAudit> runs;
  Forecast forecast;
  std::optional<WindowAudit> window;
  std::optional<PlanKeysAudit> plan;
};

// Why the audit needs attention (exit 2), one sentence each; empty: nothing
// due within the horizon. Lapses, a pool running dry, unfinished runs, keys
// parked outside the account, a plan's keys changed by the window.
std::vector<std::string> AttentionReasons(const Audit& audit);

// The forecast's events of `kind`, counted.
int CountEvents(const Forecast& forecast, ForecastEvent::Kind kind);

// One service's pool size over the forecast: (instant, licenses in the pool
// from then on), starting at the forecast's `from`; a step wherever a
// renewal takes a key or a license expires unused in the pool.
std::vector<std::pair<UnixSeconds, int>> PoolLevels(const Audit& audit, const std::string& service);

// "2027-03-01" for the instant's UTC day.
std::string FormatDay(UnixSeconds t);

// "lapsed: auto-renew off" / "lapsed: no license in the pool"; "" otherwise.
std::string LapseReasonText(ForecastEvent::LapseReason reason);

}  // namespace licmove
