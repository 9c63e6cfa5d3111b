// The progress bar drawn into a memory FILE under a fake clock: every redraw
// clears the line, and retries, 429 waits and calls/s show.

#include "progress.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace licmove {
namespace {

// What a terminal shows after `raw`: \r returns to the line's start, ESC[K
// erases from the cursor to the end of the line, \n starts a new line.
std::string ScreenOf(const std::string& raw) {
  std::string screen, line;
  std::size_t col = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\r') {
      col = 0;
    } else if (c == '\n') {
      screen += line + "\n";
      line.clear();
      col = 0;
    } else if (c == '\033' && raw.compare(i, 3, "\033[K") == 0) {
      line.resize(col);
      i += 2;
    } else {
      if (col < line.size()) {
        line[col] = c;
      } else {
        line += c;
      }
      ++col;
    }
  }
  return screen + line;
}

struct MemoryFile {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* file = open_memstream(&buffer, &size);
  ~MemoryFile() {
    if (file) std::fclose(file);
    std::free(buffer);
  }
  std::string Text() {
    std::fflush(file);
    return std::string(buffer, size);
  }
};

Op Activation(int id) {
  Op op;
  op.id = id;
  op.kind = OpKind::kActivate;
  op.camera = "CAM-" + std::to_string(id);
  op.service = "alarm-management";
  op.expect_key = "AM-5Y-000" + std::to_string(id);
  return op;
}

TEST(ProgressTest, RedrawsLeaveNoStaleCharactersAndShowRetriesAndCallRate) {
  MemoryFile mem;
  ASSERT_NE(mem.file, nullptr);
  auto now = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  ProgressReporter progress(mem.file, ProgressReporter::Style::kBar, 4, 0, nullptr,
                            [&now] { return now; });
  const Op a = Activation(0), b = Activation(1), c = Activation(2), d = Activation(3);
  OpResult done;
  done.state = OpResult::State::kDone;
  // A slow start makes the ETA long ("ETA 93s"); later redraws are shorter.
  progress.OpStarted(a);
  now += std::chrono::seconds(31);
  progress.OpFinished(a, done);
  now += std::chrono::seconds(1);
  progress.OpStarted(b);
  now += std::chrono::seconds(1);
  progress.Retrying(b, 1, "HTTP 429", std::chrono::milliseconds(1000));
  now += std::chrono::seconds(1);
  progress.Retrying(b, 2, "HTTP 503", std::chrono::milliseconds(200));
  now += std::chrono::seconds(1);
  progress.OpFinished(b, done);
  progress.OpStarted(c);
  progress.OpStarted(d);
  now += std::chrono::seconds(1);
  progress.OpFinished(c, done);
  now += std::chrono::seconds(1);
  progress.OpFinished(d, done);
  progress.Close();

  const std::string raw = mem.Text();
  // Every redraw clears the line it draws over.
  for (std::size_t at = raw.find('\r'); at != std::string::npos; at = raw.find('\r', at + 1)) {
    EXPECT_EQ(raw.compare(at, 4, "\r\033[K"), 0)
        << "a redraw at byte " << at << " does not clear the line: " << raw;
  }
  EXPECT_NE(raw.find("ETA 93s"), std::string::npos) << raw;
  const std::string screen = ScreenOf(raw);
  // 4 ops done in 37 s; 6 calls (4 first attempts and 2 retries).
  EXPECT_EQ(screen,
            "[==============================] 4/4 ops  0.1 ops/s  0.2 calls/s  2 retries "
            "(1 waits on 429)  ETA 0s\n")
      << raw;
  EXPECT_EQ(screen.find("ss"), std::string::npos);
  EXPECT_EQ(progress.retries(), 2);
  EXPECT_EQ(progress.waits_429(), 1);
  EXPECT_EQ(progress.calls(), 6);
}

TEST(ProgressTest, TheBarShowsTheAdaptiveLimit) {
  MemoryFile mem;
  ASSERT_NE(mem.file, nullptr);
  auto now = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  ProgressReporter progress(mem.file, ProgressReporter::Style::kBar, 2, 0, nullptr,
                            [&now] { return now; });
  const Op a = Activation(0), b = Activation(1);
  OpResult done;
  done.state = OpResult::State::kDone;
  progress.LimitChanged(4);
  progress.OpStarted(a);
  now += std::chrono::seconds(1);
  progress.LimitChanged(12);
  now += std::chrono::seconds(1);
  progress.OpFinished(a, done);
  progress.OpStarted(b);
  now += std::chrono::seconds(1);
  progress.LimitChanged(6);
  progress.OpFinished(b, done);
  progress.Close();
  EXPECT_EQ(ScreenOf(mem.Text()),
            "[==============================] 2/2 ops  0.7 ops/s  0.7 calls/s  limit 6  ETA 0s\n");
}

TEST(ProgressTest, LinesSayRetriesAndSumThemUpAtTheEnd) {
  MemoryFile mem;
  ASSERT_NE(mem.file, nullptr);
  ProgressReporter progress(mem.file, ProgressReporter::Style::kLines, 1, 0);
  const Op a = Activation(0);
  progress.OpStarted(a);
  progress.Retrying(a, 1, "HTTP 429", std::chrono::milliseconds(1000));
  OpResult done;
  done.state = OpResult::State::kDone;
  progress.OpFinished(a, done);
  progress.Close();
  const std::string text = mem.Text();
  EXPECT_EQ(text.find('\033'), std::string::npos) << text;
  EXPECT_NE(text.find("retry: activate alarm-management on CAM-0 (expect ...0000): HTTP 429"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("2 calls for 1 ops: 1 retries, 1 of them waits on 429"), std::string::npos)
      << text;
  // Keys are masked in progress lines.
  EXPECT_EQ(text.find("AM-5Y-0000"), std::string::npos) << text;
}

}  // namespace
}  // namespace licmove
