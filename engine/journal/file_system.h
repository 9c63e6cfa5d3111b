// Every file system call the journal makes, behind a small interface (after
// LevelDB's Env), so that tests can make a call fail or simulate a crash that
// loses whatever was not fsync'd.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/status.h"

namespace licmove {

// An append-only file. Data is durable only after Sync() returns OK; after a
// failed Sync the file's content is indeterminate and the error sticks.
class AppendableFile {
 public:
  virtual ~AppendableFile() = default;
  [[nodiscard]] virtual Status Append(std::string_view data) = 0;
  [[nodiscard]] virtual Status Sync() = 0;  // fdatasync
  [[nodiscard]] virtual Status Close() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Opens `path` for appending, creating it with mode 0600 (journals hold
  // license keys). A newly created file's directory entry is synced too.
  virtual Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) = 0;
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Write a temp file, fsync it, rename it over `path`, fsync the directory:
  // a reader sees the old content or the new, never a mix. Mode 0600.
  [[nodiscard]] virtual Status WriteFileAtomically(const std::string& path,
                                                   std::string_view data) = 0;
  // mkdir -p with mode 0700 for the directories it creates.
  [[nodiscard]] virtual Status CreateDirectories(const std::string& path) = 0;
  virtual Result<std::vector<std::string>> ListDirectory(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  [[nodiscard]] virtual Status RemoveFile(const std::string& path) = 0;
  // Truncates `path` to `size` bytes and syncs it: how a reader repairs a
  // torn tail before appending after it.
  [[nodiscard]] virtual Status Truncate(const std::string& path, std::uint64_t size) = 0;
};

// The real one: POSIX calls, fsync where the contracts above say so.
FileSystem& PosixFileSystem();

// Forwards every call to `target` (after LevelDB's EnvWrapper): a test or a
// fault-injection point overrides only the calls it changes.
class FileSystemWrapper : public FileSystem {
 public:
  explicit FileSystemWrapper(FileSystem& target) : target_(target) {}
  Result<std::unique_ptr<AppendableFile>> OpenAppendable(const std::string& path) override {
    return target_.OpenAppendable(path);
  }
  Result<std::string> ReadFile(const std::string& path) override { return target_.ReadFile(path); }
  Status WriteFileAtomically(const std::string& path, std::string_view data) override {
    return target_.WriteFileAtomically(path, data);
  }
  Status CreateDirectories(const std::string& path) override {
    return target_.CreateDirectories(path);
  }
  Result<std::vector<std::string>> ListDirectory(const std::string& path) override {
    return target_.ListDirectory(path);
  }
  bool Exists(const std::string& path) override { return target_.Exists(path); }
  Status RemoveFile(const std::string& path) override { return target_.RemoveFile(path); }
  Status Truncate(const std::string& path, std::uint64_t size) override {
    return target_.Truncate(path, size);
  }

 private:
  FileSystem& target_;
};

// An AppendableFile that forwards to another; override what changes.
class AppendableFileWrapper : public AppendableFile {
 public:
  explicit AppendableFileWrapper(std::unique_ptr<AppendableFile> target)
      : target_(std::move(target)) {}
  Status Append(std::string_view data) override { return target_->Append(data); }
  Status Sync() override { return target_->Sync(); }
  Status Close() override { return target_->Close(); }

 private:
  std::unique_ptr<AppendableFile> target_;
};

}  // namespace licmove
