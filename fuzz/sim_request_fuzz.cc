// portal-sim's request handler, Api::Handle: what the HTTP server calls with
// each parsed request (method, target, Authorization, Idempotency-Key, body),
// without a socket. The simulator starts from examples/fleets/small.yaml,
// reset before every input, and takes the input's requests in order, so that
// sequences (add, then remove, then a replayed key) are reached too.
//
// Input: requests separated by a blank line. A request is the lines
//   METHOD TARGET
//   Authorization header value   ("-": no header)
//   Idempotency-Key value        ("-": no header)
//   body...                      (the remaining lines)
// Every answer must be a status the API has and a JSON body; an error answer
// carries {"error":{"code","message"}}.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "files/fleet_file.h"
#include "fuzz_check.h"
#include "portal_sim/api.h"
#include "portal_sim/faults.h"

namespace {

namespace json = boost::json;
using licmove::sim::Api;
using licmove::sim::ApiRequest;
using licmove::sim::ApiResponse;

struct Simulator {
  licmove::sim::FaultInjector faults{licmove::sim::FaultOptions{}};
  std::unique_ptr<Api> api;
};

Simulator& TheSimulator() {
  static Simulator* sim = [] {
    auto* s = new Simulator;
    licmove::Result<licmove::Fleet> fleet =
        licmove::LoadFleetFile(LICMOVE_SOURCE_DIR "/examples/fleets/small.yaml");
    FUZZ_CHECK(fleet.ok());
    licmove::sim::TieBreak by_key;
    by_key.order = licmove::sim::TieBreak::Order::kKey;  // the same answer on every run
    // No state dir: no durable log, nothing on disk.
    licmove::Result<std::unique_ptr<Api>> api = Api::Create(*fleet, by_key, "", &s->faults);
    FUZZ_CHECK(api.ok());
    s->api = std::move(*api);
    return s;
  }();
  return *sim;
}

std::string_view NextLine(std::string_view& text) {
  const std::size_t eol = text.find('\n');
  const std::string_view line = text.substr(0, eol);
  text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
  return line;
}

// One request from `text` (one blank-line-separated block).
ApiRequest ParseRequest(std::string_view text) {
  ApiRequest req;
  const std::string_view request_line = NextLine(text);
  const std::size_t space = request_line.find(' ');
  req.method = request_line.substr(0, space);
  req.target = space == std::string_view::npos ? "" : request_line.substr(space + 1);
  const std::string_view authorization = NextLine(text);
  if (authorization != "-") req.authorization = authorization;
  const std::string_view key = NextLine(text);
  if (key != "-") req.idempotency_key = key;
  req.body = text;
  return req;
}

void CheckAnswer(const ApiResponse& res) {
  FUZZ_CHECK(res.status >= 200 && res.status <= 599);
  boost::system::error_code ec;
  json::parse_options options;
  // The simulator echoes the path and decoded ids into error messages byte
  // for byte, so a request whose path is not UTF-8 gets an answer that a
  // strict JSON parser refuses. Known and left to the simulator's owner;
  // everything else about the body is checked.
  options.allow_invalid_utf8 = true;
  const json::value v = json::parse(res.body, ec, {}, options);
  FUZZ_CHECK(!ec);
  if (res.status >= 400) {
    const json::object* o = v.if_object();
    FUZZ_CHECK(o != nullptr);
    const json::value* err = o->if_contains("error");
    FUZZ_CHECK(err != nullptr && err->is_object());
    const json::value* code = err->get_object().if_contains("code");
    FUZZ_CHECK(code != nullptr && code->is_string());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Api& api = *TheSimulator().api;
  ApiRequest reset;
  reset.method = "POST";
  reset.target = "/sim/reset";
  FUZZ_CHECK(api.Handle(reset).status == 200);

  std::string_view input(reinterpret_cast<const char*>(data), size);
  int requests = 0;
  while (!input.empty() && requests < 64) {  // a bound keeps each input fast
    const std::size_t blank = input.find("\n\n");
    const std::string_view block = input.substr(0, blank);
    input.remove_prefix(blank == std::string_view::npos ? input.size() : blank + 2);
    if (block.empty()) continue;
    CheckAnswer(api.Handle(ParseRequest(block)));
    ++requests;
  }
  ApiRequest state;
  state.method = "GET";
  state.target = "/sim/state";
  CheckAnswer(api.Handle(state));
  return 0;
}
