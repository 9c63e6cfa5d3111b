// The Remote Portal's accounts and rules R2–R6 (DESIGN §1) as the simulator
// implements them: on purpose independently of the planner's model in
// engine/model, so that tests comparing the two can catch either one wrong.
// Pure: no I/O, no locking. The clock starts at the fleet's `now` and moves
// only by AdvanceClock (R7: expiries and auto-renewals, sim_clock.cc).
//
// Every change goes through Apply(Mutation). The Decide* functions check the
// rules and say which Mutation a request makes (DecideActivate picks the key
// there). The durable log stores Mutations, so replaying them through Apply
// rebuilds the state exactly, whatever tie-break a restarted simulator uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "files/fleet_file.h"
#include "model/status.h"
#include "model/timestamp.h"

namespace licmove::sim {

struct SimLicense {
  std::string key;
  std::string service;
  int term_days = 0;
  std::optional<UnixSeconds> activated_at;  // the clock starts at the first activation
  std::string account;      // empty: in no account; only the vendor registry knows it
  std::string camera_id;    // empty: in its account's pool (or in no account)
  bool auto_renew = false;  // meaningful while assigned
  bool expired = false;     // R7: left its account for good; in none, never again
};

struct SimCamera {
  std::string id;
  std::string serial;
  std::string name;
  std::string site;
  std::map<std::string, std::string> services;  // service -> license key
};

struct SimAccount {
  std::string name;
  std::map<std::string, SimCamera> cameras;  // by id: the listing order
  std::unordered_map<std::string, std::string> ids_by_serial;
  std::set<std::string> keys;  // every license in the account: the listing order
  // Pool licenses by service. Remaining validity moves with the clock for
  // started licenses only, so they are kept apart from the never-started
  // ones: each set's order then never changes, and the smallest remaining
  // validity is at the front of one of the two (SimState::PoolFront).
  struct ServicePool {
    std::set<std::pair<UnixSeconds, std::string>> started;     // (expires_at, key)
    std::set<std::pair<std::int64_t, std::string>> unstarted;  // (term seconds, key)
    bool empty() const { return started.empty() && unstarted.empty(); }
    std::size_t size() const { return started.size() + unstarted.size(); }
  };
  std::map<std::string, ServicePool> pool;
};

struct SimUser {
  std::string token;
  std::string name;
  bool admin = false;  // R1: only admins mutate
  std::vector<std::string> accounts;
};

// How Activate breaks ties between pool licenses of equal remaining validity.
// The real portal promises no order; kRandom makes that visible to tests while
// staying reproducible: the winner is the smallest hash of (seed, number of
// activations so far, key), a function of the state alone, among the
// kWindow tied keys that sort first (so that a pool of thousands of unused
// licenses of one term costs a pick no more than a small tie does).
struct TieBreak {
  enum class Order { kKey, kRandom };
  static constexpr std::size_t kWindow = 16;
  Order order = Order::kRandom;
  std::uint64_t seed = 1;
};

// Why a rule refuses a request; the API maps each to a status and error code.
enum class Refusal {
  kUnknownCamera,    // 404 not_found
  kUnknownLicense,   // 404 not_found: no such key in this account
  kCameraExists,     // 409: the serial is in the account already
  kServiceActive,    // 409: the camera holds a license of that service
  kNoLicenseInPool,  // 409
  kLicenseAssigned,  // 409: park needs an unassigned license
  kKeyInAccount,     // 409: unpark of a key that is in an account
  kUnknownKey,       // 404: the vendor never issued this key
  kLicenseExpired,   // 409: unpark of a key that expired (R7); it is gone for good
};

// One renewal of an R7 clock advance: the key the portal picked. The log
// keeps these, so that a replay takes the same keys whatever its tie-break.
struct RenewalPick {
  UnixSeconds at = 0;
  std::string account;
  std::string camera_id;
  std::string service;
  std::string key;
};

// What happened at one expiry instant of an advance, in R7's order.
struct ClockEvent {
  enum class Kind { kRenewed, kLapsed, kExpiredInPool, kExpiredParked };
  Kind kind = Kind::kLapsed;
  UnixSeconds at = 0;
  std::string account;  // empty for a parked key
  std::string camera_id;
  std::string serial;
  std::string service;
  std::string expired_key;
  std::string new_key;  // kRenewed
  std::string reason;   // kLapsed: "auto_renew_off" or "pool_empty"
};

struct Mutation {
  enum class Kind { kAddCamera, kRemoveCamera, kActivate, kPark, kUnpark, kAdvanceClock };
  Kind kind = Kind::kAddCamera;
  std::string account;
  std::string camera_id;              // add (the new id), remove, activate
  std::string serial;                 // add
  std::string name;                   // add
  std::string site;                   // add
  std::string service;                // activate
  std::string key;                    // activate (the key picked), park, unpark
  bool auto_renew = false;            // activate
  UnixSeconds to = 0;                 // advance_clock: the new time
  std::vector<RenewalPick> renewals;  // advance_clock: the keys renewals took, in order
};

// A Mutation to apply, or the rule that refuses the request.
class [[nodiscard]] Decision {
 public:
  Decision(Mutation m) : v_(std::move(m)) {}
  Decision(Refusal r, std::string message) : v_(Refused{r, std::move(message)}) {}

  bool ok() const { return std::holds_alternative<Mutation>(v_); }
  const Mutation& mutation() const { return std::get<Mutation>(v_); }
  Refusal refusal() const { return std::get<Refused>(v_).refusal; }
  const std::string& message() const { return std::get<Refused>(v_).message; }

 private:
  struct Refused {
    Refusal refusal;
    std::string message;
  };
  std::variant<Mutation, Refused> v_;
};

class SimState {
 public:
  // InvalidArgument when the fleet contradicts itself (a key twice, a license
  // assigned to an unknown serial, two licenses of one service on a camera),
  // or holds in an account a license that expired at or before `now` (the
  // portal would have removed it). A registry key that expired is loaded as
  // expired: it can never be unparked.
  static Result<SimState> FromFleet(const Fleet& fleet);

  UnixSeconds now() const { return now_; }
  const SimUser* FindUser(std::string_view token) const;
  const SimAccount* FindAccount(std::string_view name) const;
  const SimCamera* FindCamera(std::string_view account, std::string_view id) const;
  // Any key the vendor issued, in an account or not.
  const SimLicense* FindLicense(std::string_view key) const;

  // Whole seconds of validity left: the full term if never activated, else
  // until expiry, never negative.
  std::int64_t RemainingSeconds(const SimLicense& license) const;
  // nullopt until the first activation.
  std::optional<UnixSeconds> ExpiresAt(const SimLicense& license) const;

  // REQUIRES: `account` exists (the API checks accounts before rules).
  Decision DecideAddCamera(std::string_view account, std::string_view serial, std::string_view name,
                           std::string_view site) const;
  Decision DecideRemoveCamera(std::string_view account, std::string_view camera_id) const;
  Decision DecideActivate(std::string_view account, std::string_view camera_id,
                          std::string_view service, bool auto_renew,
                          const TieBreak& tie_break) const;
  Decision DecidePark(std::string_view account, std::string_view key) const;
  Decision DecideUnpark(std::string_view account, std::string_view key) const;
  // An advance to `to` (>= now; the API refuses going back). The renewals'
  // keys are picked by AdvanceClock, which fills them in.
  Mutation AdvanceMutation(UnixSeconds to) const;

  // R7: moves the clock to `to`, handling every expiry instant in (now, to]
  // in time order, and appends what happened to `*events`. Renewals pick by
  // `tie_break`; the picks are appended to `*picks` (an advance Mutation's
  // renewals, for the log). REQUIRES: to >= now().
  void AdvanceClock(UnixSeconds to, const TieBreak& tie_break, std::vector<RenewalPick>* picks,
                    std::vector<ClockEvent>* events);

  // Applies a mutation from a Decide* call on this state, or one replayed from
  // the log. Checks the rules again and changes nothing when they fail
  // (Corruption: the log does not match the fleet it was written over). An
  // advance_clock takes its renewals' keys from the mutation, each checked to
  // be one R2 allows at its instant; a bad one is Corruption after part of
  // the advance is applied (the simulator then refuses to start anyway).
  Status Apply(const Mutation& m);

  // The pool's licenses of `service` with the smallest remaining validity
  // (several on a tie), by key, at most `limit` of them (the smallest keys);
  // empty if the pool has none.
  std::vector<std::string> PoolFront(const SimAccount& account, std::string_view service,
                                     std::size_t limit = SIZE_MAX) const;
  // Whether `key` is a pool license of `service` in `account` that R2 may
  // pick now (its remaining validity is the smallest).
  bool InPoolFront(const SimAccount& account, std::string_view service, std::string_view key) const;

  const std::vector<SimUser>& users() const { return users_; }
  const std::map<std::string, SimAccount>& accounts() const { return accounts_; }
  // Every key the vendor issued, by key.
  const std::map<std::string, SimLicense>& licenses() const { return licenses_; }
  // The id the next added camera gets (ids are never reused).
  std::string NextCameraId() const;
  std::uint64_t activations() const { return activations_; }

 private:
  SimAccount* MutableAccount(std::string_view name);
  std::string GenerateId(std::uint64_t* seq) const;
  void NoteUsedId(const std::string& id);
  void PoolInsert(SimAccount& a, const SimLicense& l);
  void PoolErase(SimAccount& a, const SimLicense& l);
  // Starts `l`'s clock at now if it never ran.
  void Start(SimLicense& l);
  // The key R2 takes from a non-empty pool of `service`.
  std::string Pick(const SimAccount& account, std::string_view service,
                   const TieBreak& tie_break) const;
  // The smallest remaining validity in a non-empty pool.
  std::int64_t PoolMinimum(const SimAccount::ServicePool& p) const;
  // Chooses a renewal's key from the camera's account's non-empty pool of
  // `service`; Corruption from a replay whose log disagrees with the rules.
  using RenewalChooser = std::function<Result<std::string>(
      UnixSeconds at, const SimAccount& a, const SimCamera& c, const std::string& service)>;
  Status RunClock(UnixSeconds to, const RenewalChooser& choose, std::vector<ClockEvent>* events);
  Status ApplyAdvance(const Mutation& m);

  UnixSeconds now_ = 0;
  std::vector<SimUser> users_;
  std::unordered_map<std::string, std::size_t> user_by_token_;
  std::map<std::string, SimAccount> accounts_;
  std::map<std::string, SimLicense> licenses_;
  // Every camera id ever given out, fleet ids included: a removed camera's id
  // is never handed out again.
  std::unordered_set<std::string> used_ids_;
  std::uint64_t next_camera_seq_ = 1;
  std::uint64_t activations_ = 0;
  // Every started license that has not expired, wherever it is: R7's queue.
  std::set<std::pair<UnixSeconds, std::string>> expiries_;  // (expires_at, key)
};

// "add_camera", "remove_camera", "activate", "park", "unpark", "advance_clock".
std::string_view MutationKindName(Mutation::Kind kind);
std::optional<Mutation::Kind> MutationKindFromName(std::string_view name);
// "renewed", "lapsed", "expired_in_pool", "expired_parked".
std::string_view ClockEventKindName(ClockEvent::Kind kind);

}  // namespace licmove::sim
