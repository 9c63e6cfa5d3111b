// An HTTP/1.1 client for the portal: keep-alive connection pool, a timeout on
// every request, TLS with certificate verification. Asynchronous (Asio C++20
// coroutines); every Beast template lives in http_client.cc.
//
// REQUIRES: one HttpClient is used from one thread (its executor's), as the
// executor and the readers do; the pool needs no lock then.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "model/status.h"
#include "portal/portal_url.h"

namespace licmove {

enum class HttpMethod { kGet, kPost, kDelete };
const char* HttpMethodName(HttpMethod method);

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string target;  // path and query, below the portal URL's base path
  std::string body;    // JSON; empty for none
  std::vector<std::pair<std::string, std::string>> headers;  // extra: Idempotency-Key
  int attempt = 1;  // which try of the caller's retry loop: for the trace only, not sent
};

struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::optional<int> retry_after_seconds;  // from Retry-After on 429/503
  std::string date;                        // the Date header, verbatim
};

// One request and its answer, as HttpClientOptions::on_exchange is told of
// it: what --verbose / --debug traces. Holds no header but the
// Idempotency-Key, so never the token.
struct HttpExchange {
  HttpMethod method = HttpMethod::kGet;
  std::string target;                    // as in HttpRequest
  unsigned status = 0;                   // 0: no answer (see error)
  std::string error;                     // the transport failure, when status is 0
  std::chrono::microseconds latency{0};  // from sending to the whole answer, or the failure
  int attempt = 1;                       // HttpRequest::attempt
  std::string idempotency_key;           // empty when the request has none
};

struct HttpClientOptions {
  PortalUrl url;                             // http or https
  std::string token;                         // sent as "Authorization: Bearer"; never logged
  std::chrono::milliseconds timeout{30000};  // per request: connect + write + read
  std::string ca_file;                       // PEM bundle to trust; empty: the system's store
  std::size_t max_idle_connections = 64;
  // Told of every Send's outcome on the client's thread, after it ended;
  // empty: nobody is.
  std::function<void(const HttpExchange&)> on_exchange;
};

class HttpClient {
 public:
  HttpClient(boost::asio::any_io_executor executor, HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads its response. Transport failures (refused,
  // reset, timeout, TLS) come back as Status::Unavailable with the cause; any
  // HTTP status, 4xx and 5xx included, is a successful HttpResponse. A GET, or
  // a request with an Idempotency-Key, that failed on a reused keep-alive
  // connection before any answer byte is tried once more on a fresh one (the
  // server may have closed it while idle).
  boost::asio::awaitable<Result<HttpResponse>> Send(HttpRequest request);

  // Connections opened so far (for tests of keep-alive).
  std::size_t connections_opened() const;

 private:
  boost::asio::awaitable<Result<HttpResponse>> SendUntraced(HttpRequest request);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Sends one request on a private io_context and waits for the answer: for
// the few synchronous calls (preflight, tests) that need no event loop.
Result<HttpResponse> SendBlocking(const HttpClientOptions& options, HttpRequest request);

}  // namespace licmove
