#include "files/text_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <sys/stat.h>

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
  // Sized once when the file says how big it is (a 30 MB fleet grown by
  // appending was copied a dozen times); a pipe or /proc file just grows.
  struct stat st;
  if (::fstat(::fileno(f.get()), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    text.resize(static_cast<std::size_t>(st.st_size));
    const std::size_t n = std::fread(text.data(), 1, text.size(), f.get());
    text.resize(n);
    if (n < static_cast<std::size_t>(st.st_size)) {
      if (std::ferror(f.get())) return fail(errno);
      return text;  // shrank while read
    }
  }
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
