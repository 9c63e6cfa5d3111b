#include "portal_sim/http_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <exception>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "portal_sim/routes.h"

namespace licmove::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(120);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr std::size_t kMaxBody = 1 << 20;
constexpr auto kLingerTimeout = std::chrono::seconds(5);
constexpr std::size_t kMaxLinger = 64 << 20;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

void LogException(std::exception_ptr e, const char* where) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    std::cerr << "portal-sim: " << where << ": " << ex.what() << "\n";
  }
}

asio::awaitable<Status> SyncLog(Api* api, std::uint64_t offset) {
  co_return api->Sync(offset);
}

// The answer as it goes on the wire. An answer to HEAD carries no content
// (RFC 9110 §9.3.2: content would be read as the start of the next answer on
// a keep-alive connection), and no Content-Length either: the only length it
// may name is that of the GET answer, which a 405 or a 413 is not.
http::response<http::string_body> ToWire(ApiResponse res, const http::request_header<>& req,
                                         bool keep_alive, const std::string& date) {
  http::response<http::string_body> out{static_cast<http::status>(res.status), req.version()};
  out.set(http::field::content_type, "application/json");
  out.set(http::field::date, date);
  for (const auto& [name, value] : res.headers) out.set(name, value);
  out.keep_alive(keep_alive);
  if (req.method() != http::verb::head) {
    out.body() = std::move(res.body);
    out.prepare_payload();
  }
  return out;
}

}  // namespace

struct HttpServer::Impl {
  Api* api = nullptr;
  FaultInjector* faults = nullptr;
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::thread_pool> syncer;  // fdatasync off the io threads
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool stopped = false;

  asio::awaitable<void> Listen();
  asio::awaitable<void> Session(beast::tcp_stream stream);
};

asio::awaitable<void> HttpServer::Impl::Listen() {
  asio::steady_timer backoff(co_await asio::this_coro::executor);
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(asio::make_strand(*ioc), kUseTuple);
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) {  // out of file descriptors, say: let connections close first
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, Session(beast::tcp_stream(std::move(socket))),
                   [](std::exception_ptr e) { LogException(e, "connection"); });
  }
}

asio::awaitable<void> HttpServer::Impl::Session(beast::tcp_stream stream) {
  beast::flat_buffer buffer;
  asio::steady_timer delay(co_await asio::this_coro::executor);
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    stream.expires_after(kIdleTimeout);
    auto [read_ec, read_n] = co_await http::async_read(stream, buffer, parser, kUseTuple);
    if (read_ec == http::error::body_limit) {
      http::response<http::string_body> res =
          ToWire(ErrorResponse(413, "payload_too_large", "the body exceeds 1 MiB"), parser.get(),
                 false, api->http_date());
      stream.expires_after(kWriteTimeout);
      co_await http::async_write(stream, res, kUseTuple);
      // Lingering close: closing with the client's body still arriving would
      // reset the connection, and the client might lose the 413 to the RST.
      beast::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      stream.expires_after(kLingerTimeout);
      char scratch[16384];
      for (std::size_t drained = 0; drained < kMaxLinger;) {
        auto [drain_ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kUseTuple);
        if (drain_ec) break;
        drained += n;
      }
      co_return;
    }
    if (read_ec) break;  // the client closed, went idle, or sent garbage
    stream.expires_never();
    const http::request<http::string_body>& req = parser.get();
    const std::string_view target = req.target();

    // Faults and call counts are for the portal's API, never for /sim/.
    const bool portal_call = target.substr(0, 5) == "/api/";
    FaultPlan plan;
    std::string route;
    if (portal_call) {
      plan = faults->Decide(std::chrono::steady_clock::now());
      route = RouteTemplate(req.method_string(), target);
    }
    if (plan.delay.count() > 0) {
      delay.expires_after(plan.delay);
      co_await delay.async_wait(kUseTuple);
    }
    if (plan.reset) {
      api->stats().Record(route, "reset");
      beast::error_code ec;
      stream.socket().set_option(tcp::socket::linger(true, 0), ec);  // RST, not FIN
      stream.socket().close(ec);
      co_return;
    }

    ApiResponse res;
    if (plan.retry_after_seconds > 0) {
      res = ErrorResponse(429, "rate_limited", "too many requests (--rate-limit)");
      res.headers.emplace_back("Retry-After", std::to_string(plan.retry_after_seconds));
    } else if (plan.error) {
      res =
          ErrorResponse(503, "unavailable", "injected failure (--error-rate); nothing was applied");
    } else {
      ApiRequest request;
      request.method = req.method_string();
      request.target = target;
      request.authorization = req[http::field::authorization];
      request.content_type = req[http::field::content_type];
      if (auto it = req.find("Idempotency-Key"); it != req.end())
        request.idempotency_key = it->value();
      request.body = req.body();
      res = api->Handle(request);
    }
    if (res.log_offset != 0) {
      Status st =
          co_await asio::co_spawn(*syncer, SyncLog(api, res.log_offset), asio::use_awaitable);
      if (!st.ok()) res = ErrorResponse(500, "internal", "state dir: " + st.message());
    }
    if (plan.drop) {  // applied and durable, but the client never hears of it
      api->stats().Record(route, "dropped");
      beast::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream.socket().close(ec);
      co_return;
    }
    if (portal_call) api->stats().Record(route, std::to_string(res.status));

    http::response<http::string_body> out =
        ToWire(std::move(res), req, req.keep_alive(), api->http_date());
    stream.expires_after(kWriteTimeout);
    auto [write_ec, write_n] = co_await http::async_write(stream, out, kUseTuple);
    if (write_ec || !out.keep_alive()) break;
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  Stop();
}

std::uint16_t HttpServer::port() const {
  return impl_->port;
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& bind, std::uint16_t port,
                                                      int threads, Api* api,
                                                      FaultInjector* faults) {
  auto impl = std::make_unique<Impl>();
  impl->api = api;
  impl->faults = faults;
  threads = std::max(1, threads);
  impl->ioc = std::make_unique<asio::io_context>(threads);
  impl->syncer = std::make_unique<asio::thread_pool>(1);
  impl->acceptor = std::make_unique<tcp::acceptor>(*impl->ioc);

  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(bind, ec);
  if (ec) return Status::InvalidArgument("bind address '" + bind + "': " + ec.message());
  const tcp::endpoint endpoint(address, port);
  const std::string where = bind + ":" + std::to_string(port);
  tcp::acceptor& acceptor = *impl->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec)
    return Status::IOError("open " + where + ": " + ec.message());
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec)
    return Status::IOError("bind " + where + ": " + ec.message());
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return Status::IOError("listen " + where + ": " + ec.message());
  }
  impl->port = acceptor.local_endpoint(ec).port();

  Impl* raw = impl.get();
  asio::co_spawn(*raw->ioc, raw->Listen(),
                 [](std::exception_ptr e) { LogException(e, "listener"); });
  for (int i = 0; i < threads; ++i) raw->threads.emplace_back([raw] { raw->ioc->run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::Stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->ioc->stop();
  for (std::thread& t : impl_->threads) t.join();
  impl_->threads.clear();
  impl_->syncer->stop();
  impl_->syncer->join();
  // Suspended sessions die with their executors: the syncer first (its
  // pending work resumes sessions that own sockets of the io_context), then
  // the listener, then the io_context itself.
  impl_->syncer.reset();
  impl_->acceptor.reset();
  impl_->ioc.reset();
}

}  // namespace licmove::sim
