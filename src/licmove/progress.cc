#include "progress.h"

#include <unistd.h>

#include <boost/json.hpp>

#include "executor/op_call.h"

namespace licmove {

ProgressReporter::Style ProgressReporter::StyleFor(std::FILE* out, bool json) {
  if (json) return Style::kJson;
  return ::isatty(::fileno(out)) ? Style::kBar : Style::kLines;
}

ProgressReporter::ProgressReporter(std::FILE* out, Style style, std::size_t total,
                                   std::size_t already_done, const EventLog* events, Clock clock)
    : out_(out),
      style_(style),
      total_(total),
      done_(already_done),
      done_at_start_(already_done),
      events_(events),
      clock_(std::move(clock)),
      started_(total),
      seconds_(total, 0.0),
      start_(Now()) {}

std::chrono::steady_clock::time_point ProgressReporter::Now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

void ProgressReporter::OpStarted(const Op& op) {
  started_[op.id] = Now();
  ++calls_;
  if (style_ == Style::kBar) DrawBar();
}

double ProgressReporter::OpSeconds(int id) const {
  return id >= 0 && static_cast<std::size_t>(id) < seconds_.size() ? seconds_[id] : 0;
}

void ProgressReporter::OpFinished(const Op& op, const OpResult& r) {
  if (started_[op.id] != std::chrono::steady_clock::time_point{}) {
    seconds_[op.id] = std::chrono::duration<double>(Now() - started_[op.id]).count();
  }
  if (r.state == OpResult::State::kDone) {
    ++done_;
  } else {
    ++failed_;
  }
  switch (style_) {
    case Style::kBar:
      if (r.state != OpResult::State::kDone) Note(r.message);
      DrawBar();
      break;
    case Style::kLines:
      std::fprintf(out_, "[%zu/%zu] %s: %s%s%s\n", done_ + failed_, total_,
                   DescribeOpForLog(op).c_str(), std::string(OpResultStateName(r.state)).c_str(),
                   r.message.empty() ? "" : ": ", r.message.c_str());
      break;
    case Style::kJson: {
      if (!events_) break;
      boost::json::object o{{"op", op.id},
                            {"kind", std::string(OpKindName(op.kind))},
                            {"what", DescribeOpForLog(op)},
                            {"result", std::string(OpResultStateName(r.state))},
                            {"attempts", r.attempts},
                            {"done", done_},
                            {"total", total_}};
      if (!r.message.empty()) o["message"] = r.message;
      o["seconds"] = seconds_[op.id];
      events_->Emit("op_finished", std::move(o));
      return;
    }
  }
  std::fflush(out_);
}

void ProgressReporter::Retrying(const Op& op, int attempt, const std::string& why,
                                std::chrono::milliseconds delay) {
  ++retries_;
  ++calls_;  // the attempt after the wait
  // The retry loop says "HTTP 429" for a rate-limited answer (retrying_send.h).
  const bool rate_limited = why == "HTTP 429";
  if (rate_limited) ++waits_429_;
  if (style_ == Style::kJson) {
    if (events_) {
      events_->Emit("retry", {{"op", op.id},
                              {"what", DescribeOpForLog(op)},
                              {"attempt", attempt},
                              {"why", why},
                              {"delay_ms", delay.count()}});
    }
  } else if (style_ == Style::kLines) {
    std::fprintf(out_, "retry: %s: %s (attempt %d, waiting %lld ms)\n",
                 DescribeOpForLog(op).c_str(), why.c_str(), attempt,
                 static_cast<long long>(delay.count()));
  } else if (style_ == Style::kBar) {
    DrawBar();
  }
}

void ProgressReporter::LimitChanged(int limit) {
  limit_ = limit;
  if (style_ == Style::kJson) {
    if (events_) events_->Emit("limit", {{"limit", limit}});
  } else if (style_ == Style::kBar) {
    DrawBar();
  }
}

void ProgressReporter::DrawBar() {
  const auto now = Now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done_ + failed_ < total_) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? (done_ - done_at_start_) / elapsed : 0;
  const double call_rate = elapsed > 0 ? calls_ / elapsed : 0;
  const std::size_t left = total_ > done_ + failed_ ? total_ - done_ - failed_ : 0;
  const int width = 30;
  const int filled = total_ ? static_cast<int>(width * (done_ + failed_) / total_) : width;
  std::string bar(filled, '=');
  bar.resize(width, ' ');
  char eta[32] = "--";
  if (rate > 0) std::snprintf(eta, sizeof eta, "%.0fs", left / rate);
  char retries[64] = "";
  if (retries_ > 0) std::snprintf(retries, sizeof retries, "  %d retries", retries_);
  char waits[48] = "";
  if (waits_429_ > 0) std::snprintf(waits, sizeof waits, " (%d waits on 429)", waits_429_);
  char limit[32] = "";
  if (limit_ > 0) std::snprintf(limit, sizeof limit, "  limit %d", limit_);
  // \r and "erase to the end of the line": a shorter line than the last one
  // leaves none of its characters behind.
  std::fprintf(out_, "\r\033[K[%s] %zu/%zu ops  %.1f ops/s  %.1f calls/s%s%s%s  ETA %s%s",
               bar.c_str(), done_, total_, rate, call_rate, limit, retries, waits, eta,
               failed_ ? "  (failures)" : "");
  std::fflush(out_);
}

void ProgressReporter::Note(const std::string& message) {
  if (style_ == Style::kBar) std::fprintf(out_, "\r\033[K");
  // JSON lines are on another stream: a note is for people either way.
  std::fprintf(out_, "%s\n", message.c_str());
  if (style_ == Style::kBar) DrawBar();
  std::fflush(out_);
}

void ProgressReporter::Close() {
  if (style_ == Style::kBar) {
    last_draw_ = {};
    DrawBar();
    std::fprintf(out_, "\n");
  } else if (style_ == Style::kLines && retries_ > 0) {
    std::fprintf(out_, "%d calls for %zu ops: %d retries, %d of them waits on 429\n", calls_,
                 done_ + failed_ - done_at_start_, retries_, waits_429_);
  }
  std::fflush(out_);
}

}  // namespace licmove
