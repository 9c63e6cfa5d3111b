// One throwaway PostgreSQL server (pg_server.h) for a whole test binary:
// register it once per binary,
//
//   const auto* const kPg = ::testing::AddGlobalTestEnvironment(new PgEnvironment);
//
// and reach it with PgEnvironment::Server(), which starts it on first use.
// Tests keep apart by schema.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "pg_server.h"

namespace licmove::testing {

class PgEnvironment : public ::testing::Environment {
 public:
  // Stops the server, if a test started one.
  void TearDown() override { server().reset(); }
  // The server, started by the first test that asks (tests that need none,
  // such as a directory backend's, do not wait for one); nullptr, with the
  // reason as a test failure, when it cannot start.
  static PgServer* Server() {
    if (!server() && !failed()) {
      std::string error;
      server() = PgServer::Start(&error);
      if (!server()) {
        failed() = true;
        ADD_FAILURE() << "no PostgreSQL test server: " << error;
      }
    }
    return server().get();
  }

 private:
  static std::unique_ptr<PgServer>& server() {
    static std::unique_ptr<PgServer> s;
    return s;
  }
  static bool& failed() {
    static bool f = false;
    return f;
  }
};

}  // namespace licmove::testing
