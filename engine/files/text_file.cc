#include "files/text_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace licmove {

Result<std::string> ReadTextFile(const std::string& path) {
  auto fail = [&](int err) -> Status {
    std::string message = path + ": cannot read: " + std::strerror(err);
    return err == ENOENT ? Status::NotFound(std::move(message))
                         : Status::IOError(std::move(message));
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return fail(errno);
  std::string text;
  char buffer[1 << 16];
  while (true) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, f.get());
    text.append(buffer, n);
    if (n < sizeof buffer) break;
  }
  // A directory opens on Linux and fails on the first read with EISDIR.
  if (std::ferror(f.get())) return fail(errno);
  return text;
}

}  // namespace licmove
