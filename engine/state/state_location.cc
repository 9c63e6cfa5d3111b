#include "state/state_location.h"

#include <cstdlib>

#include "state/dir_backend.h"
#include "state/pg_backend.h"

namespace licmove {

std::string DefaultStateDir() {
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/licmove";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.local/state/licmove";
  }
  return ".licmove";
}

std::string ResolveStateSpec(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("LICMOVE_STATE"); env && *env) return env;
  return DefaultStateDir();
}

bool IsPostgresSpec(const std::string& spec) {
  return spec.rfind("postgres://", 0) == 0 || spec.rfind("postgresql://", 0) == 0;
}

std::string DescribeStateSpec(const std::string& spec) {
  if (!IsPostgresSpec(spec)) return spec;
  auto where = ParsePgLocation(spec);
  return where.ok() ? where->display : std::string("a postgres URL that cannot be read");
}

Result<std::unique_ptr<StateBackend>> OpenStateBackend(const std::string& spec, FileSystem& fs,
                                                       DurableWriteHook hook) {
  if (IsPostgresSpec(spec)) {
    auto where = ParsePgLocation(spec);
    if (!where.ok()) return where.status();
    auto backend = PgBackend::Open(*where, std::move(hook));
    if (!backend.ok()) return backend.status();
    return std::unique_ptr<StateBackend>(std::move(backend.value()));
  }
  if (spec.find("://") != std::string::npos) {
    return Status::InvalidArgument("--state " + spec +
                                   ": a directory, or a postgres:// URL; nothing else is known");
  }
  return std::unique_ptr<StateBackend>(std::make_unique<DirBackend>(spec, fs, std::move(hook)));
}

}  // namespace licmove
