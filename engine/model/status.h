// Errors as values at module boundaries (after LevelDB's Status).
//
// A Status is OK or carries a code and a message meant for an operator. A
// Result<T> is a T or a non-OK Status. Neither throws; exceptions from
// libraries are caught at the edge that calls them and turned into these.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace licmove {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,   // bad input: plan file, flag, request body
    kNotFound,          // unknown camera, key, run, file
    kConflict,          // the state does not allow it (409-like)
    kPermissionDenied,  // token or role
    kUnavailable,       // transient: network, 429, 503; worth retrying
    kIOError,           // local file system
    kCorruption,        // a journal or state file that fails its checksum
    kInternal,          // a broken invariant: a bug in licmove
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status IOError(std::string m) { return {Code::kIOError, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "conflict: camera CAM-0001 already holds alarm-management"
  std::string ToString() const;
  static const char* CodeName(Code code);

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the reason there is none. REQUIRES: a Status passed in is not OK.
template <typename T>
class [[nodiscard]] Result {
 public:
  // Asio's co_spawn needs a default-constructible value type; an unset
  // Result reads as an internal error, never as success.
  Result() : v_(Status::Internal("result was never set")) {}
  Result(T value) : v_(std::move(value)) {}
  Result(Status status) : v_(std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace licmove
