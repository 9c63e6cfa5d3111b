#include "journal/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace licmove {

namespace {

Status PosixError(const std::string& what, const std::string& path, int err) {
  return Status::IOError(what + " " + path + ": " + std::strerror(err));
}

std::string DirectoryOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return PosixError("open directory", dir, errno);
  Status s;
  if (::fsync(fd) != 0) s = PosixError("fsync directory", dir, errno);
  ::close(fd);
  return s;
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return PosixError("write", path, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

class PosixAppendableFile final : public AppendableFile {
 public:
  PosixAppendableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixAppendableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Append(std::string_view data) override {
    if (!sticky_.ok()) return sticky_;
    return WriteAll(fd_, data, path_);
  }
  Status Sync() override {
    if (!sticky_.ok()) return sticky_;
    if (::fdatasync(fd_) != 0) sticky_ = PosixError("fdatasync", path_, errno);
    return sticky_;
  }
  Status Close() override {
    if (fd_ < 0) return sticky_;
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0 && sticky_.ok()) sticky_ = PosixError("close", path_, errno);
    return sticky_;
  }

 private:
  int fd_;
  std::string path_;
  Status sticky_;  // after a failed sync nothing about the file is known
};

class Posix final : public FileSystem {
 public:
  Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) override {
    const bool existed = Exists(path);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return PosixError("open", path, errno);
    if (!existed) {
      if (Status s = SyncDirectory(DirectoryOf(path)); !s.ok()) {
        ::close(fd);
        return s;
      }
    }
    return std::unique_ptr<AppendableFile>(new PosixAppendableFile(fd, path));
  }

  Result<std::string> ReadFile(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound(path + ": no such file");
      return PosixError("open", path, errno);
    }
    std::string out;
    char buf[1 << 16];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd);
        return PosixError("read", path, err);
      }
      if (n == 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
  }

  Status WriteFileAtomically(const std::string& path, std::string_view data) override {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return PosixError("open", tmp, errno);
    Status s = WriteAll(fd, data, tmp);
    if (s.ok() && ::fsync(fd) != 0) s = PosixError("fsync", tmp, errno);
    if (::close(fd) != 0 && s.ok()) s = PosixError("close", tmp, errno);
    if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = PosixError("rename", tmp, errno);
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
    return SyncDirectory(DirectoryOf(path));
  }

  Status CreateDirectories(const std::string& path) override {
    std::string prefix;
    std::size_t pos = 0;
    while (pos != std::string::npos) {
      pos = path.find('/', pos + 1);
      prefix = path.substr(0, pos);
      if (prefix.empty()) continue;
      if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
        return PosixError("mkdir", prefix, errno);
      }
    }
    return Status::Ok();
  }

  Result<std::vector<std::string>> ListDirectory(const std::string& path) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      names.push_back(entry.path().filename().string());
    }
    if (ec) return Status::IOError("list " + path + ": " + ec.message());
    return names;
  }

  bool Exists(const std::string& path) override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError("unlink", path, errno);
    return Status::Ok();
  }

  Status Truncate(const std::string& path, std::uint64_t size) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return PosixError("open", path, errno);
    Status s;
    if (::ftruncate(fd, static_cast<off_t>(size)) != 0) s = PosixError("truncate", path, errno);
    if (s.ok() && ::fsync(fd) != 0) s = PosixError("fsync", path, errno);
    ::close(fd);
    return s;
  }
};

}  // namespace

FileSystem& PosixFileSystem() {
  static Posix fs;
  return fs;
}

}  // namespace licmove
