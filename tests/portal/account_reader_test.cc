// ReadAccount against portals that misbehave in ways portal-sim never does:
// a scripted HTTP server on loopback (real sockets, real Beast parsing) that
// repeats a cursor or never ends a listing. The reader must stop with an
// error naming the endpoint instead of reading forever.
#include <atomic>
#include <functional>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "portal/account_reader.h"

namespace licmove {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Answers every request with `answer(target)` (status 200, JSON body), each
// connection on its own thread (the reader keeps several open at once), until
// destroyed. Counts the requests.
class ScriptedPortal {
 public:
  explicit ScriptedPortal(std::function<std::string(const std::string&)> answer)
      : answer_(std::move(answer)),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] { Accept(); });
  }
  ~ScriptedPortal() {
    stop_ = true;
    beast::error_code ec;
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);  // wakes accept()
    thread_.join();
    // The client has closed its connections by now (it is gone before the
    // portal is); a connection thread ends when its peer does.
    for (std::thread& t : connections_) t.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  int requests() const { return requests_; }

 private:
  void Accept() {
    while (!stop_) {
      tcp::socket socket(io_);
      beast::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      connections_.emplace_back([this, s = std::move(socket)]() mutable { Serve(s); });
    }
  }

  void Serve(tcp::socket& socket) {
    beast::error_code ec;
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      http::read(socket, buffer, req, ec);
      if (ec) break;
      ++requests_;
      http::response<http::string_body> res{http::status::ok, req.version()};
      res.set(http::field::content_type, "application/json");
      res.body() = answer_(std::string(req.target()));
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(socket, res, ec);
      if (ec || !req.keep_alive()) break;
    }
  }

  std::function<std::string(const std::string&)> answer_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::vector<std::thread> connections_;  // only the accept thread adds
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
};

HttpClientOptions OptionsFor(const ScriptedPortal& portal) {
  HttpClientOptions o;
  o.url = *ParsePortalUrl(portal.url(), false);
  o.token = "t";
  return o;
}

bool IsCameras(const std::string& target) {
  return target.find("/cameras") != std::string::npos;
}

const char* kCamera = R"({"id":"c1","serial":"CAM-1","name":"n","site":"s","services":[]})";

TEST(AccountReader, ARepeatedCursorStopsTheReadNamingTheEndpoint) {
  ScriptedPortal portal([](const std::string& target) {
    if (IsCameras(target)) {
      return std::string(R"({"items":[)") + kCamera + R"(],"next_cursor":"same"})";
    }
    return std::string(R"({"items":[],"next_cursor":null})");
  });
  auto read = ReadAccountBlocking(OptionsFor(portal), "acme", 10);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("GET /api/v1/accounts/acme/cameras"), std::string::npos)
      << read.status().message();
  EXPECT_NE(read.status().message().find("\"same\" a second time"), std::string::npos)
      << read.status().message();
  // Two camera pages, and one page each of the two license listings read
  // alongside.
  EXPECT_LE(portal.requests(), 4);
}

TEST(AccountReader, ARepeatedCursorOnALicenseListingNamesThatListing) {
  // The pool listing loops while the other two end: the read still stops.
  ScriptedPortal portal([](const std::string& target) {
    if (target.find("state=pool") != std::string::npos) {
      return std::string(R"({"items":[],"next_cursor":"again"})");
    }
    if (IsCameras(target))
      return std::string(R"({"items":[)") + kCamera + R"(],"next_cursor":null})";
    return std::string(R"({"items":[],"next_cursor":null})");
  });
  auto read = ReadAccountBlocking(OptionsFor(portal), "acme", 10);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("GET /api/v1/accounts/acme/licenses?state=pool:"),
            std::string::npos)
      << read.status().message();
  EXPECT_NE(read.status().message().find("\"again\" a second time"), std::string::npos)
      << read.status().message();
  EXPECT_LE(portal.requests(), 4);
}

TEST(AccountReader, AKeyInBothLicenseListingsIsAChangedAccount) {
  // A license that went from the pool to a camera between the two
  // listings' pages: listed by both.
  const char* license =
      R"({"key":"K1","service":"alarm-management","term_days":365,"activated_at":null,)"
      R"("expires_at":null,"remaining_days":365,"assigned_to":null})";
  ScriptedPortal portal([&](const std::string& target) {
    if (IsCameras(target)) return std::string(R"({"items":[],"next_cursor":null})");
    return std::string(R"({"items":[)") + license + R"(],"next_cursor":null})";
  });
  auto read = ReadAccountBlocking(OptionsFor(portal), "acme", 10);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kConflict);
  EXPECT_NE(read.status().message().find("license K1 was listed twice"), std::string::npos)
      << read.status().message();
}

TEST(AccountReader, EndlessEmptyPagesStopTheRead) {
  std::atomic<int> next{0};
  ScriptedPortal portal([&](const std::string& target) {
    if (!IsCameras(target)) return std::string(R"({"items":[],"next_cursor":null})");
    return R"({"items":[],"next_cursor":"c)" + std::to_string(next++) + "\"}";
  });
  auto read = ReadAccountBlocking(OptionsFor(portal), "acme", 10);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("GET /api/v1/accounts/acme/cameras"), std::string::npos)
      << read.status().message();
  EXPECT_NE(read.status().message().find("pages for 0 items"), std::string::npos)
      << read.status().message();
  EXPECT_LT(portal.requests(), 40);
}

TEST(AccountReader, PagesWithNewCursorsAreReadToTheEnd) {
  // Pages of one item, and an empty last page with a cursor: all legal.
  ScriptedPortal portal([](const std::string& target) {
    if (!IsCameras(target)) return std::string(R"({"items":[],"next_cursor":null})");
    for (int i = 0; i < 50; ++i) {
      if (target.find("cursor=p" + std::to_string(i) + "x") != std::string::npos ||
          (i == 0 && target.find("cursor=") == std::string::npos)) {
        const std::string id = std::to_string(i);
        return R"({"items":[{"id":"c)" + id + R"(","serial":"CAM-)" + id +
               R"(","name":"n","site":"s","services":[]}],"next_cursor":"p)" +
               std::to_string(i + 1) + "x\"}";
      }
    }
    return std::string(R"({"items":[],"next_cursor":null})");
  });
  auto read = ReadAccountBlocking(OptionsFor(portal), "acme", 1);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->account.cameras.size(), 50u);
}

}  // namespace
}  // namespace licmove
