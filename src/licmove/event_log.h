// --log-format json: the run as a stream of JSON objects, one a line, on
// stdout, and nothing else on that stream (people's messages go to stderr).
// Every object has "event", "time" (RFC 3339, UTC, milliseconds) and
// "format_version"; the events and their fields are in docs/CI.md. Within a
// format_version fields are only added; a reader ignores fields it does not
// know.
#pragma once

#include <cstdio>
#include <string_view>

#include <boost/json/object.hpp>

namespace licmove {

inline constexpr int kEventLogFormatVersion = 1;

class EventLog {
 public:
  // `out` null: a log that writes nothing (text output).
  explicit EventLog(std::FILE* out) : out_(out) {}
  bool enabled() const { return out_ != nullptr; }
  // Writes one line and flushes it, so that a reader following the stream
  // sees each event as it happens.
  void Emit(std::string_view event, boost::json::object fields) const;

 private:
  std::FILE* out_;
};

}  // namespace licmove
