// What the portal answers, as licmove decodes it: the same bytes as each
// JSON body decoder's input (identity, camera, camera page, license page),
// as an error body for each status class, and as the timestamps and Date
// header the answers carry. A decoder may refuse an answer, with a message;
// it may not crash or throw.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "model/timestamp.h"
#include "portal/portal_json.h"

namespace {

template <typename T>
void CheckRefusalSays(const licmove::Result<T>& r) {
  FUZZ_CHECK(r.ok() || !r.status().message().empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  CheckRefusalSays(licmove::DecodeIdentity(body));
  CheckRefusalSays(licmove::DecodeCamera(body));
  CheckRefusalSays(licmove::DecodeLicensePage(body));
  CheckRefusalSays(licmove::DecodeCameraPage(body));

  // An error answer is never OK, and its message names the call.
  for (unsigned status : {400u, 401u, 403u, 404u, 409u, 422u, 429u, 500u, 503u, 599u}) {
    const licmove::Status st = licmove::DecodeError(status, body, "GET /api/v1/me");
    FUZZ_CHECK(!st.ok());
    FUZZ_CHECK(st.message().rfind("GET /api/v1/me: ", 0) == 0);
  }

  // Timestamps (activated_at, expires_at) and the Date header.
  if (std::optional<licmove::UnixSeconds> t = licmove::ParseTimestamp(body)) {
    if (auto back = licmove::ParseTimestamp(licmove::FormatTimestamp(*t))) FUZZ_CHECK(*back == *t);
  }
  if (std::optional<licmove::UnixSeconds> t = licmove::ParseHttpDate(body)) {
    FUZZ_CHECK(licmove::ParseHttpDate(licmove::FormatHttpDate(*t)) == t);
  }
  return 0;
}
