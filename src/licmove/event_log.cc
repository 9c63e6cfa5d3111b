#include "event_log.h"

#include <chrono>
#include <ctime>

#include <boost/json/serialize.hpp>

namespace licmove {

namespace {

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms));
  return text;
}

}  // namespace

void EventLog::Emit(std::string_view event, boost::json::object fields) const {
  if (!out_) return;
  boost::json::object line;
  line.reserve(fields.size() + 3);
  line["event"] = event;
  line["time"] = NowRfc3339();
  line["format_version"] = kEventLogFormatVersion;
  for (auto& [key, value] : fields) line[key] = std::move(value);
  const std::string text = boost::json::serialize(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace licmove
