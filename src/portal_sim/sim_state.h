// The Remote Portal's accounts and rules R2–R6 (DESIGN §1) as the simulator
// implements them: on purpose independently of the planner's model in
// engine/model, so that tests comparing the two can catch either one wrong.
// Pure: no I/O, no locking, no clock (the time is the fleet's fixed `now`).
//
// Every change goes through Apply(Mutation). The Decide* functions check the
// rules and say which Mutation a request makes (DecideActivate picks the key
// there). The durable log stores Mutations, so replaying them through Apply
// rebuilds the state exactly, whatever tie-break a restarted simulator uses.
#pragma once

#include <cstdint>
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
  // Pool licenses by service, ordered by (remaining seconds, key). Remaining
  // validity of a pool license never changes: the clock is fixed and only an
  // activation, which takes the license out of the pool, can start it.
  std::map<std::string, std::set<std::pair<std::int64_t, std::string>>> pool;
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
// activations so far, key), a function of the state alone.
struct TieBreak {
  enum class Order { kKey, kRandom };
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
};

struct Mutation {
  enum class Kind { kAddCamera, kRemoveCamera, kActivate, kPark, kUnpark };
  Kind kind = Kind::kAddCamera;
  std::string account;
  std::string camera_id;    // add (the new id), remove, activate
  std::string serial;       // add
  std::string name;         // add
  std::string site;         // add
  std::string service;      // activate
  std::string key;          // activate (the key picked), park, unpark
  bool auto_renew = false;  // activate
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
  // assigned to an unknown serial, two licenses of one service on a camera).
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

  // Applies a mutation from a Decide* call on this state, or one replayed from
  // the log. Checks the rules again and changes nothing when they fail
  // (Corruption: the log does not match the fleet it was written over).
  Status Apply(const Mutation& m);

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
};

// "add_camera", "remove_camera", "activate", "park", "unpark".
std::string_view MutationKindName(Mutation::Kind kind);
std::optional<Mutation::Kind> MutationKindFromName(std::string_view name);

}  // namespace licmove::sim
