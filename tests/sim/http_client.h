// A small synchronous HTTP/1.1 client (Boost.Beast) for the simulator's
// tests: one keep-alive connection to 127.0.0.1:PORT, reopened after the
// server closed it. Real sockets, real parsing: no test double in between.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "model/status.h"

namespace licmove::sim::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  boost::json::value json() const;  // null when the body is not JSON
  // error.code of an error body, "" otherwise.
  std::string error_code() const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class TestClient {
 public:
  // `token`: sent as "Authorization: Bearer TOKEN" unless empty.
  explicit TestClient(std::uint16_t port, std::string token = "");
  ~TestClient();

  // Unavailable when the connection fails or the server closes it without a
  // complete answer (a dropped or reset call). A body goes with
  // "Content-Type: application/json" unless `headers` say otherwise; a header
  // given an empty value is not sent at all.
  Result<HttpReply> Send(std::string_view method, std::string_view target,
                         std::string_view body = "", const Headers& headers = {});

  // Shorthands that fail the calling test on a transport error.
  HttpReply Get(std::string_view target);
  HttpReply Post(std::string_view target, std::string_view body,
                 std::string_view idempotency_key = "");
  HttpReply Delete(std::string_view target, std::string_view idempotency_key = "");

  void set_token(std::string token) { token_ = std::move(token); }
  // Connections opened so far: a test can see that a call needed a new one.
  int connections() const { return connections_; }

 private:
  struct Conn;
  std::uint16_t port_;
  std::string token_;
  std::unique_ptr<Conn> conn_;
  int connections_ = 0;
};

// Sends `request` as it is on a new connection and returns every byte the
// server sends until it closes it: what is on the wire, with no parser in
// between (ask for "Connection: close").
Result<std::string> RawExchange(std::uint16_t port, std::string_view request);

// The body of `reply` as an object; fails the test if it is not one.
boost::json::object Object(const HttpReply& reply);

}  // namespace licmove::sim::testing
