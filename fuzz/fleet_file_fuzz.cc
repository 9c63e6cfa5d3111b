// Fleet files (what portal-sim and `licmove plan --snapshot` read): any bytes
// through ParseFleet. It may refuse the text, with a message; it may not
// crash or throw, and a fleet it accepts must be one its own lookups agree
// with.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "files/fleet_file.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  licmove::Result<licmove::Fleet> fleet = licmove::ParseFleet(text, "fuzz.yaml");
  if (!fleet.ok()) {
    FUZZ_CHECK(!fleet.status().message().empty());
    return 0;
  }
  for (const licmove::Account& account : fleet->accounts) {
    const licmove::Account* found = fleet->FindAccount(account.name);
    FUZZ_CHECK(found != nullptr && found->name == account.name);
  }
  return 0;
}
