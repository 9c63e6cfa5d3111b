// The HTTP client over TLS against a real TLS server on loopback with a
// throwaway CA: certificates are verified by default, --ca-file trusts a
// private CA, and the certificate must name the host.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "portal/http_client.h"

namespace licmove {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

// A self-signed certificate for "localhost" (which is also its own CA).
void WriteSelfSigned(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(cert, key, EVP_sha256());
  FILE* f = std::fopen(cert_path.c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen(key_path.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
}

// Answers every request on every connection with 200 and a /me body, until
// destroyed. Handshake failures (a client that does not trust it) just end
// that connection.
class TlsServer {
 public:
  TlsServer(const std::string& cert, const std::string& key)
      : ctx_(ssl::context::tls_server), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    ctx_.use_certificate_chain_file(cert);
    ctx_.use_private_key_file(key, ssl::context::pem);
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~TlsServer() {
    // Wake the blocking accept with a connection of our own; the loop sees
    // the flag and ends. The acceptor is only ever touched by its thread.
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(poke_io_);
    poke.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    poke.close(ec);
    thread_.join();
  }
  unsigned short port() const { return port_; }

 private:
  void Serve() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      beast::ssl_stream<tcp::socket> stream(std::move(socket), ctx_);
      stream.handshake(ssl::stream_base::server, ec);
      if (ec) continue;
      beast::flat_buffer buffer;
      for (;;) {
        http::request<http::string_body> req;
        http::read(stream, buffer, req, ec);
        if (ec) break;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json");
        res.body() = R"({"user":"tls@acme","role":"admin","accounts":["acme"]})";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        http::write(stream, res, ec);
        if (ec || !req.keep_alive()) break;
      }
    }
  }
  asio::io_context io_, poke_io_;
  ssl::context ctx_;
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

Result<HttpResponse> Get(const std::string& url, const std::string& ca_file) {
  HttpClientOptions o;
  o.url = *ParsePortalUrl(url, false);
  o.ca_file = ca_file;
  o.token = "t";
  o.timeout = std::chrono::seconds(5);
  HttpRequest req;
  req.target = "/api/v1/me";
  return SendBlocking(o, std::move(req));
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("licmove-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    cert_ = (dir_ / "cert.pem").string();
    WriteSelfSigned(cert_, (dir_ / "key.pem").string());
    server_ = std::make_unique<TlsServer>(cert_, (dir_ / "key.pem").string());
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  std::string Url(const std::string& host) {
    return "https://" + host + ":" + std::to_string(server_->port());
  }
  fs::path dir_;
  std::string cert_;
  std::unique_ptr<TlsServer> server_;
};

TEST_F(Tls, TrustedPrivateCaWorks) {
  auto res = Get(Url("localhost"), cert_);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 200u);
  EXPECT_NE(res->body.find("tls@acme"), std::string::npos);
}

TEST_F(Tls, UnknownCaIsRefusedByDefault) {
  auto res = Get(Url("localhost"), "");  // the system's store does not know it
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find("TLS handshake"), std::string::npos)
      << res.status().message();
}

TEST_F(Tls, CertificateMustNameTheHost) {
  auto res = Get(Url("127.0.0.1"), cert_);  // the certificate names localhost only
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find("TLS handshake"), std::string::npos)
      << res.status().message();
}

TEST_F(Tls, MissingCaFileIsAClearError) {
  auto res = Get(Url("localhost"), (dir_ / "nope.pem").string());
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find("CA certificates"), std::string::npos)
      << res.status().message();
}

}  // namespace
}  // namespace licmove
