// The portal's HTTP/1.1 front end (Boost.Beast). One coroutine per
// connection, on its own strand, that reads like the protocol: read a request,
// wait out the injected latency, apply the other faults, let the Api answer,
// wait until the answer's mutation is durable, write it, read the next one
// (keep-alive). The only translation unit of portal_sim with Beast and Asio.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/status.h"
#include "portal_sim/api.h"
#include "portal_sim/faults.h"

namespace licmove::sim {

class HttpServer {
 public:
  // Listens on `bind`:`port` (0: a free port) and serves on `threads` io
  // threads; log syncs run on one more thread so they never block io.
  // `api` and `faults` must outlive the server.
  static Result<std::unique_ptr<HttpServer>> Start(const std::string& bind, std::uint16_t port,
                                                   int threads, Api* api, FaultInjector* faults);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;
  // Closes the listener and every connection, joins the threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace licmove::sim
