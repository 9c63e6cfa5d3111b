#include "portal/http_client.h"

#include <deque>
#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

namespace licmove {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One keep-alive connection: its stream and the read buffer that may hold the
// start of the next response.
struct Connection {
  std::variant<PlainStream, TlsStream> stream;
  beast::flat_buffer buffer;

  beast::tcp_stream& tcp() {
    if (auto* p = std::get_if<PlainStream>(&stream)) return *p;
    return beast::get_lowest_layer(std::get<TlsStream>(stream));
  }
};

http::verb ToVerb(HttpMethod m) {
  switch (m) {
    case HttpMethod::kGet:
      return http::verb::get;
    case HttpMethod::kPost:
      return http::verb::post;
    case HttpMethod::kDelete:
      return http::verb::delete_;
  }
  return http::verb::get;
}

std::string Describe(const beast::error_code& ec) {
  if (ec == beast::error::timeout) return "timed out";
  return ec.message();
}

}  // namespace

const char* HttpMethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kPost:
      return "POST";
    case HttpMethod::kDelete:
      return "DELETE";
  }
  return "?";
}

struct HttpClient::Impl {
  asio::any_io_executor executor;
  HttpClientOptions options;
  std::optional<ssl::context> tls;
  std::deque<std::unique_ptr<Connection>> idle;
  std::size_t opened = 0;
  std::string tls_setup_error;

  Impl(asio::any_io_executor ex, HttpClientOptions o) : executor(ex), options(std::move(o)) {
    if (options.url.scheme != PortalUrl::Scheme::kHttps) return;
    tls.emplace(ssl::context::tls_client);
    beast::error_code ec;
    tls->set_verify_mode(ssl::verify_peer, ec);
    if (options.ca_file.empty()) {
      tls->set_default_verify_paths(ec);
    } else {
      tls->load_verify_file(options.ca_file, ec);
    }
    if (ec) tls_setup_error = "cannot load CA certificates: " + ec.message();
  }

  asio::awaitable<Result<std::unique_ptr<Connection>>> Connect() {
    if (!tls_setup_error.empty()) co_return Status::InvalidArgument(tls_setup_error);
    const std::string where = options.url.host + ":" + options.url.port;
    tcp::resolver resolver(executor);
    auto [rec, endpoints] =
        co_await resolver.async_resolve(options.url.host, options.url.port, kUseTuple);
    if (rec) co_return Status::Unavailable("cannot resolve " + where + ": " + Describe(rec));

    auto conn = std::make_unique<Connection>(Connection{PlainStream(executor), {}});
    if (tls) conn->stream.emplace<TlsStream>(PlainStream(executor), *tls);
    conn->tcp().expires_after(options.timeout);
    auto [cec, ep] = co_await conn->tcp().async_connect(endpoints, kUseTuple);
    if (cec) co_return Status::Unavailable("cannot connect to " + where + ": " + Describe(cec));
    conn->tcp().socket().set_option(tcp::no_delay(true));
    if (auto* s = std::get_if<TlsStream>(&conn->stream)) {
      // SNI and host name verification: the certificate must name the host.
      if (!SSL_set_tlsext_host_name(s->native_handle(), options.url.host.c_str())) {
        co_return Status::Unavailable("TLS: cannot set server name for " + where);
      }
      s->set_verify_callback(ssl::host_name_verification(options.url.host));
      auto [hec] = co_await s->async_handshake(ssl::stream_base::client, kUseTuple);
      if (hec) co_return Status::Unavailable("TLS handshake with " + where + ": " + Describe(hec));
    }
    ++opened;
    co_return std::move(conn);
  }

  // One exchange on `conn`. `answered` tells whether any byte of a response
  // arrived, which decides whether a retry on a fresh connection is safe.
  template <typename Stream>
  asio::awaitable<Result<HttpResponse>> Exchange(Stream& stream, Connection& conn,
                                                 const http::request<http::string_body>& req,
                                                 bool& answered, bool& keep_alive) {
    conn.tcp().expires_after(options.timeout);
    auto [wec, wn] = co_await http::async_write(stream, req, kUseTuple);
    if (wec) co_return Status::Unavailable("sending request: " + Describe(wec));
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    auto [rec, rn] = co_await http::async_read(stream, conn.buffer, parser, kUseTuple);
    answered = rn > 0 || parser.got_some();
    if (rec) co_return Status::Unavailable("reading response: " + Describe(rec));
    auto& res = parser.get();
    HttpResponse out;
    out.status = res.result_int();
    out.body = std::move(res.body());
    if (auto it = res.find(http::field::retry_after); it != res.end()) {
      try {
        out.retry_after_seconds = std::stoi(std::string(it->value()));
      } catch (const std::exception&) {
        // An HTTP-date form we do not parse: the caller falls back to backoff.
      }
    }
    if (auto it = res.find(http::field::date); it != res.end()) out.date = std::string(it->value());
    keep_alive = res.keep_alive();
    co_return out;
  }
};

HttpClient::HttpClient(asio::any_io_executor executor, HttpClientOptions options)
    : impl_(std::make_unique<Impl>(executor, std::move(options))) {}

HttpClient::~HttpClient() = default;

std::size_t HttpClient::connections_opened() const {
  return impl_->opened;
}

asio::awaitable<Result<HttpResponse>> HttpClient::Send(HttpRequest request) {
  if (!impl_->options.on_exchange) co_return co_await SendUntraced(std::move(request));
  HttpExchange exchange;
  exchange.method = request.method;
  exchange.target = request.target;
  exchange.attempt = request.attempt;
  for (const auto& [name, value] : request.headers) {
    if (beast::iequals(name, "Idempotency-Key")) exchange.idempotency_key = value;
  }
  const auto start = std::chrono::steady_clock::now();
  Result<HttpResponse> res = co_await SendUntraced(std::move(request));
  exchange.latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  if (res.ok()) {
    exchange.status = res->status;
  } else {
    exchange.error = res.status().message();
  }
  impl_->options.on_exchange(exchange);
  co_return res;
}

asio::awaitable<Result<HttpResponse>> HttpClient::SendUntraced(HttpRequest request) {
  Impl& im = *impl_;
  http::request<http::string_body> req{ToVerb(request.method),
                                       im.options.url.base_path + request.target, 11};
  req.set(http::field::host, im.options.url.host);
  req.set(http::field::user_agent, "licmove");
  req.set(http::field::accept, "application/json");
  if (!im.options.token.empty()) req.set(http::field::authorization, "Bearer " + im.options.token);
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || request.method == HttpMethod::kPost) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(request.body);
  }
  req.keep_alive(true);
  req.prepare_payload();
  bool retry_is_harmless = request.method == HttpMethod::kGet;
  for (const auto& header : request.headers) {
    if (beast::iequals(header.first, "Idempotency-Key")) retry_is_harmless = true;
  }

  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<Connection> conn;
    const bool reused = !im.idle.empty();
    if (reused) {
      conn = std::move(im.idle.front());
      im.idle.pop_front();
    } else {
      auto made = co_await im.Connect();
      if (!made.ok()) co_return made.status();
      conn = std::move(made.value());
    }
    bool answered = false, keep_alive = false;
    Result<HttpResponse> res = Status::Internal("no exchange");
    if (auto* s = std::get_if<TlsStream>(&conn->stream)) {
      res = co_await im.Exchange(*s, *conn, req, answered, keep_alive);
    } else {
      res = co_await im.Exchange(std::get<PlainStream>(conn->stream), *conn, req, answered,
                                 keep_alive);
    }
    if (res.ok()) {
      if (keep_alive && im.idle.size() < im.options.max_idle_connections) {
        im.idle.push_back(std::move(conn));
      }
      co_return res;
    }
    // A pooled connection the portal closed while idle fails before any
    // answer: try once more on a fresh one, but only where repeating is
    // harmless (a GET, or a mutation the portal deduplicates by its key).
    if (!(reused && !answered && retry_is_harmless)) co_return res;
  }
  co_return Status::Unavailable("connection closed by the portal twice in a row");
}

Result<HttpResponse> SendBlocking(const HttpClientOptions& options, HttpRequest request) {
  asio::io_context io;
  HttpClient client(io.get_executor(), options);
  Result<HttpResponse> out = Status::Internal("the request was never completed");
  asio::co_spawn(io, client.Send(std::move(request)),
                 [&out](std::exception_ptr e, Result<HttpResponse> r) {
                   if (!e) out = std::move(r);
                 });
  io.run();
  return out;
}

}  // namespace licmove
