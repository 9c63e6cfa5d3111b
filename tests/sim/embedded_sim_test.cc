// licmove's embedded simulator (`--portal sim://FLEET.yaml --state-dir DIR`),
// through the real licmove binary: where it keeps the simulated portal's
// state, and who may read it.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "subprocess.h"

namespace licmove::sim::testing {
namespace {

namespace fs = std::filesystem;

// The log holds license keys: every directory licmove creates on the way to
// it is 0700 and the log 0600, like the journal's, whatever the umask allows.
TEST(EmbeddedSimTest, TheStateItCreatesIsReadableByItsOwnerOnly) {
  std::string templ = (fs::temp_directory_path() / "embedded-sim-XXXXXX").string();
  const fs::path dir = ::mkdtemp(templ.data());
  const fs::path state = dir / "new" / "state";
  const std::string source = LICMOVE_SOURCE_DIR;
  const mode_t old_umask = ::umask(0);  // the child inherits it: modes as asked for
  const int code = licmove::testing::RunProcess(
      {LICMOVE_BINARY_DIR "/src/licmove/licmove", "plan", source + "/plans/move.yaml", "--portal",
       "sim://" + source + "/examples/fleets/small.yaml", "--state-dir", state.string()},
      {}, (dir / "output.txt").string());
  ::umask(old_umask);
  ASSERT_EQ(code, 0) << licmove::testing::ReadFileText((dir / "output.txt").string());

  auto mode = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; };
  int logs = 0;
  for (const fs::path& p : {dir / "new", state, state / "sim"}) {
    EXPECT_EQ(mode(p), fs::perms::owner_all) << p;
  }
  for (const auto& entry : fs::recursive_directory_iterator(state / "sim")) {
    if (entry.is_directory()) {
      EXPECT_EQ(mode(entry.path()), fs::perms::owner_all) << entry.path();
    } else {
      EXPECT_EQ(mode(entry.path()), fs::perms::owner_read | fs::perms::owner_write) << entry.path();
      logs += entry.path().filename() == "portal-sim.log";
    }
  }
  EXPECT_EQ(logs, 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace licmove::sim::testing
