#include "pg_server.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace licmove::testing {

namespace fs = std::filesystem;

namespace {

// The newest /usr/lib/postgresql/N/bin that has initdb.
std::string FindBinaries() {
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    const int version = std::stoi(name);
    if (version > best_version && fs::exists(entry.path() / "bin" / "initdb")) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  return best;
}

std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

bool PgServer::Run(const std::string& command, std::string* output) const {
  const std::string wrapped =
      as_postgres_ ? "runuser -u postgres -- sh -c " + Quoted(command) : command;
  FILE* p = ::popen((wrapped + " 2>&1").c_str(), "r");
  if (!p) return false;
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = ::pclose(p);
  if (output) *output = out;
  return status == 0;
}

std::unique_ptr<PgServer> PgServer::Start(std::string* error) {
  std::unique_ptr<PgServer> s(new PgServer());
  s->bin_ = FindBinaries();
  if (s->bin_.empty()) {
    *error = "no PostgreSQL server binaries under /usr/lib/postgresql (scripts/install-deps.sh)";
    return nullptr;
  }
  s->as_postgres_ = ::geteuid() == 0;
  char tmpl[] = "/tmp/licmove-pg-XXXXXX";
  if (!::mkdtemp(tmpl)) {
    *error = "mkdtemp failed";
    return nullptr;
  }
  s->dir_ = tmpl;
  if (s->as_postgres_) {
    if (std::system(("chown postgres: " + Quoted(s->dir_)).c_str()) != 0) {
      *error = "cannot give " + s->dir_ + " to the postgres user";
      return nullptr;
    }
  }
  std::string out;
  if (!s->Run(s->bin_ + "/initdb -D " + Quoted(s->dir_ + "/data") +
                  " --auth=trust -U postgres -E UTF8 --no-sync",
              &out)) {
    *error = "initdb failed: " + out;
    return nullptr;
  }
  if (!s->Run(s->bin_ + "/pg_ctl -D " + Quoted(s->dir_ + "/data") + " -l " +
                  Quoted(s->dir_ + "/log") + " -w -o " +
                  Quoted("-k " + s->dir_ + " -c listen_addresses= -p 5432") + " start",
              &out)) {
    *error = "pg_ctl start failed: " + out;
    return nullptr;
  }
  return s;
}

PgServer::~PgServer() {
  if (dir_.empty()) return;
  Run(bin_ + "/pg_ctl -D " + Quoted(dir_ + "/data") + " -m immediate -w stop");
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PgServer::Url() const {
  return "postgres:///postgres?host=" + dir_ + "&port=5432&user=postgres";
}

std::string PgServer::Psql(const std::string& sql) const {
  std::string out;
  const std::string bin = bin_ + "/psql";
  const std::string cmd = (fs::exists(bin) ? bin : std::string("psql")) + " -X -q -A -t -h " +
                          Quoted(dir_) + " -p 5432 -U postgres -d postgres -c " + Quoted(sql);
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return "";
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  return ::pclose(p) == 0 ? out : "";
}

bool PgServer::Restart() {
  return Run(bin_ + "/pg_ctl -D " + Quoted(dir_ + "/data") + " -l " + Quoted(dir_ + "/log") +
             " -w -m fast -o " + Quoted("-k " + dir_ + " -c listen_addresses= -p 5432") +
             " restart");
}

}  // namespace licmove::testing
