#include "http_client.h"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace licmove::sim::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

boost::json::value HttpReply::json() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

std::string HttpReply::error_code() const {
  boost::json::value v = json();
  if (!v.is_object()) return "";
  const auto* error = v.as_object().if_contains("error");
  if (!error || !error->is_object()) return "";
  const auto* code = error->as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : "";
}

boost::json::object Object(const HttpReply& reply) {
  boost::json::value v = reply.json();
  EXPECT_TRUE(v.is_object()) << "not a JSON object: " << reply.body;
  return v.is_object() ? v.as_object() : boost::json::object();
}

struct TestClient::Conn {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
};

TestClient::TestClient(std::uint16_t port, std::string token)
    : port_(port), token_(std::move(token)) {}

TestClient::~TestClient() = default;

Result<HttpReply> TestClient::Send(std::string_view method, std::string_view target,
                                   std::string_view body, const Headers& headers) {
  beast::error_code ec;
  if (!conn_) {
    auto conn = std::make_unique<Conn>();
    conn->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    if (ec) return Status::Unavailable("connect: " + ec.message());
    conn_ = std::move(conn);
    ++connections_;
  }
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) {
    if (value.empty()) {
      req.erase(name);
    } else {
      req.set(name, value);
    }
  }
  req.body() = std::string(body);
  req.prepare_payload();
  req.keep_alive(true);

  http::write(conn_->socket, req, ec);
  // An answer to HEAD has no body whatever its Content-Length says: the
  // parser must not wait for one (what follows is the next answer).
  http::response_parser<http::string_body> parser;
  parser.skip(req.method() == http::verb::head);
  if (!ec) http::read(conn_->socket, conn_->buffer, parser, ec);
  http::response<http::string_body> res = parser.release();
  if (ec) {
    conn_.reset();
    return Status::Unavailable("no answer to " + std::string(method) + " " + std::string(target) +
                               ": " + ec.message());
  }
  HttpReply reply;
  reply.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    reply.headers[name] = std::string(field.value());
  }
  reply.body = std::move(res.body());
  if (!res.keep_alive()) conn_.reset();
  return reply;
}

Result<std::string> RawExchange(std::uint16_t port, std::string_view request) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return Status::Unavailable("connect: " + ec.message());
  asio::write(socket, asio::buffer(request.data(), request.size()), ec);
  if (ec) return Status::Unavailable("write: " + ec.message());
  std::string answer;
  char chunk[4096];
  for (;;) {
    const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
    answer.append(chunk, n);
    if (ec == asio::error::eof) return answer;
    if (ec) return Status::Unavailable("read: " + ec.message());
  }
}

HttpReply TestClient::Get(std::string_view target) {
  Result<HttpReply> r = Send("GET", target);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r.value()) : HttpReply{};
}

HttpReply TestClient::Post(std::string_view target, std::string_view body,
                           std::string_view idempotency_key) {
  Headers headers;
  if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
  Result<HttpReply> r = Send("POST", target, body, headers);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r.value()) : HttpReply{};
}

HttpReply TestClient::Delete(std::string_view target, std::string_view idempotency_key) {
  Headers headers;
  if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
  Result<HttpReply> r = Send("DELETE", target, "", headers);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r.value()) : HttpReply{};
}

}  // namespace licmove::sim::testing
