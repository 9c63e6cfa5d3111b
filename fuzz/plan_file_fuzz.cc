// Plan files: any bytes through ParsePlan (YAML, schema, semantics) and
// through CheckText, which `licmove validate` runs and which must tell a plan
// from a fleet first. Either may refuse the text; neither may crash, throw or
// refuse it without saying where.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "files/plan_file.h"
#include "files/validate.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  licmove::Result<licmove::Plan> plan = licmove::ParsePlan(text, "fuzz.yaml");
  FUZZ_CHECK(plan.ok() || !plan.status().message().empty());

  const licmove::FileCheck check = licmove::CheckText(text, "fuzz.yaml");
  // A valid file decoded to exactly one of the two kinds.
  if (check.valid()) FUZZ_CHECK(check.plan.has_value() != check.fleet.has_value());
  // A plan ParsePlan accepts is one `validate` accepts too.
  if (plan.ok()) FUZZ_CHECK(check.valid() && check.plan.has_value());
  return 0;
}
