// What the end-to-end tests of runs share: a generated fleet and plan (30
// moves with parks and restored collateral services, 4 assigns), a separate
// portal-sim process per scenario, the licmove command lines, and the account
// read back in a form that compares across runs.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "state/state_backend.h"
#include "subprocess.h"

namespace licmove::testing {

inline const std::string kLicmove = LICMOVE_BINARY_DIR "/src/licmove/licmove";

// An account as comparable text: per camera serial its services and keys
// (portal ids differ between runs), and the pool.
// Keys that are interchangeable (same service, term and activation time,
// so the same remaining validity) appear by that class, not by name: a bulk
// assign's activations run side by side, so which of them lands on which
// camera, and which stay in the pool, depends on the order the portal saw
// them in (docs/PLANNER.md §4). In the pool a class is service and term. A
// key whose class has no other key is named.
struct Normalized {
  std::map<std::string, std::multiset<std::string>> cameras;
  std::multiset<std::string> pool;
  std::set<std::string> all_keys;
  bool operator==(const Normalized& o) const { return cameras == o.cameras && pool == o.pool; }
};

class RunFixture : public ::testing::Test {
 protected:
  // `name` keeps the temporary directories of parallel test binaries apart.
  explicit RunFixture(std::string name) : name_(std::move(name)) {}
  void SetUp() override;
  void TearDown() override;

  // A portal-sim on the fleet with a fresh state; ties among interchangeable
  // keys go to the smallest key, so an uninterrupted run reaches one state.
  std::unique_ptr<ChildPortalSim> FreshSim(const std::string& name,
                                           const std::vector<std::string>& extra = {});
  Normalized Read(const ChildPortalSim& sim);
  // The account after an uninterrupted apply of the plan on a fresh sim.
  Normalized Target();
  // Where the account's lock lives under `state`.
  static std::string LockFile(const std::string& state) { return state + "/locks/acme.lock"; }

  std::vector<std::string> Apply(const ChildPortalSim& sim, const std::string& state);
  std::vector<std::string> Resume(const ChildPortalSim& sim, const std::string& state,
                                  const std::string& run);
  std::vector<std::string> Rollback(const ChildPortalSim& sim, const std::string& state,
                                    const std::string& run);

  // `state`: a directory or a postgres:// URL, as --state takes it.
  static std::unique_ptr<StateBackend> OpenStateOf(const std::string& state);
  // The runs under `state`, oldest first; the only one, or the first.
  std::vector<std::string> Runs(const std::string& state);
  std::string RunId(const std::string& state);
  // Waits until the first run under `state` has journaled `n` intents (or
  // the process `pid` is gone); false if it never did.
  bool WaitForIntents(const std::string& state, std::size_t n, pid_t pid);

  // After a kill: every key of the original account is still in the account
  // or is a key the journaled plan parks (so the journal holds it).
  void ExpectNoKeyLost(const Normalized& original, const Normalized& now, const std::string& state);

  // One HTTP call to the simulator with curl (for /sim/ and for changing the
  // account behind licmove's back); the body of the answer.
  std::string SimCall(const ChildPortalSim& sim, const std::string& method,
                      const std::string& target, const std::string& body = "");
  // The same, for the status alone: "200", or "000" when no answer came.
  std::string SimStatus(const ChildPortalSim& sim, const std::string& method,
                        const std::string& target);

  std::filesystem::path dir_;
  std::string fleet_, plan_, token_;

 private:
  std::string name_;
};

}  // namespace licmove::testing
