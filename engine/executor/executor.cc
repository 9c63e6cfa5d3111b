#include "executor/executor.h"

#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "executor/op_call.h"
#include "executor/rate_limiter.h"
#include "portal/portal_json.h"
#include "portal/retrying_send.h"

namespace licmove {

namespace asio = boost::asio;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

namespace {

// Run on the journal's thread (see Impl::journal_thread).
asio::awaitable<Status> RecordIntentsDurably(JournalWriter* journal,
                                             std::vector<OpIntent> intents) {
  co_return journal->RecordIntents(intents);
}

asio::awaitable<Status> SyncJournal(JournalWriter* journal) {
  co_return journal->Sync();
}

}  // namespace

bool MeansAccountChanged(unsigned http_status) {
  // Every op's answers 404 and 409 name a precondition the plan was built
  // on: a camera or key that should be there (404), a pool key that should
  // be free, a service that should be empty, a serial that should be absent
  // (409). The plan never causes them itself: retries carry the op's
  // Idempotency-Key, so a repeat is answered with the first answer.
  return http_status == 404 || http_status == 409;
}

std::string_view OpResultStateName(OpResult::State state) {
  switch (state) {
    case OpResult::State::kNotStarted:
      return "not started";
    case OpResult::State::kDone:
      return "done";
    case OpResult::State::kFailed:
      return "failed";
    case OpResult::State::kUnknown:
      return "unknown";
    case OpResult::State::kBlocked:
      return "blocked";
  }
  return "?";
}

bool ExecutionSummary::complete() const {
  for (const OpResult& r : results) {
    if (r.state != OpResult::State::kDone) return false;
  }
  return true;
}

struct Executor::Impl {
  asio::any_io_executor io;
  std::string account;
  const OpGraph& graph;
  Schedule& schedule;
  HttpClient& http;
  JournalWriter* journal;
  std::map<std::string, std::string> camera_ids;
  ExecutorOptions options;
  ExecutionObserver* observer;
  RateLimiter limiter;
  AdaptiveLimit adaptive;
  int reported_limit = 0;
  std::vector<std::size_t> sent_at_limit;  // adaptive: requests sent, by limit
  std::mt19937_64 rng;
  ExecutionSummary summary;
  std::size_t in_flight = 0;
  bool woken = false;
  asio::steady_timer wake;
  // The journal's file calls, in the order they are made: appends of
  // outcomes as answers arrive, and each batch's intents with their fsync,
  // which the batch waits for before its requests leave. An append that
  // fails makes the journal's status stick, so the next fsync (which every
  // new request waits for) reports it and nothing more is sent.
  asio::thread_pool journal_thread{1};

  Impl(asio::any_io_executor ex, std::string a, const OpGraph& g, Schedule& s, HttpClient& h,
       JournalWriter* j, std::map<std::string, std::string> ids, ExecutorOptions o,
       ExecutionObserver* obs)
      : io(ex),
        account(std::move(a)),
        graph(g),
        schedule(s),
        http(h),
        journal(j),
        camera_ids(std::move(ids)),
        options(std::move(o)),
        observer(obs),
        limiter(options.rate, std::max(1.0, options.rate / 10)),
        adaptive(options.adaptive_limit),
        rng(options.seed),
        wake(ex) {
    summary.results.resize(graph.size());
    options.parallelism = std::max(1, options.parallelism);
  }

  std::size_t Slots() const {
    return static_cast<std::size_t>(options.adaptive ? adaptive.limit() : options.parallelism);
  }

  // Adaptive runs: one attempt's answer (429 or not) teaches the limit.
  void Learn(std::chrono::steady_clock::time_point sent, bool saturated, unsigned http_status) {
    const auto now = std::chrono::steady_clock::now();
    if (http_status == 429) {
      adaptive.OnRateLimited(sent, now);
    } else {
      adaptive.OnAnswer(sent, now, saturated);
    }
    const int limit = adaptive.limit();
    if (limit == reported_limit) return;
    if (limit > reported_limit) Wake();  // room for more
    reported_limit = limit;
    if (observer) observer->LimitChanged(limit);
  }

  void Wake() {
    woken = true;
    wake.cancel();
  }

  void Record(const Op& op, const OpResult& r, unsigned http_status, const std::string& id) {
    if (!journal) return;
    OpOutcome o;
    o.op = op.id;
    o.result = r.state == OpResult::State::kDone     ? OpOutcome::Result::kDone
               : r.state == OpResult::State::kFailed ? OpOutcome::Result::kFailed
                                                     : OpOutcome::Result::kUnknown;
    o.http_status = static_cast<int>(http_status);
    o.license_key = r.license_key;
    o.camera_id = id;
    o.message = r.message;
    asio::post(journal_thread, [journal = journal, o = std::move(o)] {
      (void)journal->RecordOutcome(o);  // an error sticks: see journal_thread
    });
  }

  // Someone else changed the account under the run: what the plan predicts
  // no longer holds, so nothing new may start on it.
  void AccountChanged(const std::string& why) {
    summary.account_changed = true;
    schedule.Stop();
    if (summary.first_error.empty()) summary.first_error = why;
  }

  // Journals the outcome and releases (or blocks) the op's dependents. An
  // op that happened with the wrong key (`wrong_key`) is done at the portal
  // and journaled so, but nothing may build on it.
  void Finish(const Op& op, OpResult r, unsigned http_status, const std::string& new_id,
              bool wrong_key = false) {
    Record(op, r, http_status, new_id);
    if (r.state == OpResult::State::kDone && !wrong_key) {
      schedule.Finished(op.id);
    } else {
      schedule.Failed(op.id);
      if (summary.first_error.empty()) summary.first_error = r.message;
    }
    if (observer) observer->OpFinished(op, r);
    summary.results[op.id] = std::move(r);
    --in_flight;
    Wake();
  }

  asio::awaitable<void> RunOp(int id) {
    const Op& op = graph.op(id);
    OpResult r;
    const bool camera_op = op.kind == OpKind::kRemoveCamera || op.kind == OpKind::kActivate;
    std::string camera_id;
    if (camera_op) {
      auto it = camera_ids.find(op.camera);
      if (it == camera_ids.end()) {
        // The plan saw it there (or added it itself, which records its id).
        r.state = OpResult::State::kFailed;
        r.message = DescribeOpForLog(op) + ": camera " + op.camera + " is not in the account";
        AccountChanged(r.message);
        Finish(op, std::move(r), 0, "");
        co_return;
      }
      camera_id = it->second;
    }
    const HttpRequest request =
        BuildOpRequest(op, account, camera_id, IdempotencyKeyFor(options.run_id, op.id));
    const std::string call = DescribeCall(op, request);
    if (observer) observer->OpStarted(op);

    RetryHooks hooks;
    std::chrono::steady_clock::time_point attempt_sent;
    bool saturated = false;
    hooks.before_attempt = [this, &attempt_sent, &saturated] {
      ++summary.requests_sent;
      const auto now = std::chrono::steady_clock::now();
      const auto wait = limiter.Acquire(now);
      attempt_sent = now + wait;
      saturated = in_flight >= Slots();
      if (options.adaptive) {
        const std::size_t limit = static_cast<std::size_t>(adaptive.limit());
        if (sent_at_limit.size() <= limit) sent_at_limit.resize(limit + 1);
        ++sent_at_limit[limit];
      }
      return wait;
    };
    if (options.adaptive) {
      hooks.after_attempt = [this, &attempt_sent, &saturated](unsigned http_status) {
        Learn(attempt_sent, saturated, http_status);
      };
    }
    hooks.on_retry = [this, &op](int attempt, const std::string& why,
                                 std::chrono::milliseconds delay) {
      if (observer) observer->Retrying(op, attempt, why, delay);
    };
    RetriedResponse sent = co_await SendWithRetry(http, request, options.retry, rng, hooks);
    r.attempts = sent.attempts;
    const Result<HttpResponse>& res = sent.response;

    if (!res.ok()) {
      // The request may or may not have been applied: resume decides from
      // what the portal shows, never by guessing.
      r.state = OpResult::State::kUnknown;
      r.message = call + ": " + res.status().message() + " after " + std::to_string(r.attempts) +
                  " attempts; outcome unknown";
      Finish(op, std::move(r), 0, "");
      co_return;
    }
    if (res->status < 200 || res->status >= 300) {
      r.state = OpResult::State::kFailed;
      r.message = DecodeError(res->status, res->body, call).message();
      if (MeansAccountChanged(res->status)) AccountChanged(r.message);
      Finish(op, std::move(r), res->status, "");
      co_return;
    }
    auto effect = DecodeOpSuccess(op, *res);
    if (!effect.ok()) {
      r.state = OpResult::State::kUnknown;
      r.message = call + ": " + effect.status().message();
      Finish(op, std::move(r), res->status, "");
      co_return;
    }
    if (op.kind == OpKind::kAddCamera) camera_ids[op.camera] = effect->camera_id;
    r.license_key = effect->license_key;
    r.state = OpResult::State::kDone;
    if (op.kind == OpKind::kActivate && !IsAcceptableKey(op, effect->license_key)) {
      // The portal did something the plan did not predict: stop before any
      // further change builds on it. The op itself happened (the key is on
      // the camera), so it is journaled as done, with the mismatch.
      summary.verification_failed = true;
      schedule.Stop();
      r.message = "verification failed: " + call + " assigned " + effect->license_key +
                  ", the plan expected " + op.expect_key;
      summary.first_error = r.message;
      Finish(op, std::move(r), res->status, effect->camera_id, /*wrong_key=*/true);
      co_return;
    }
    Finish(op, std::move(r), res->status, effect->camera_id);
  }

  // The median, lowest and highest limit over the requests sent.
  void SummarizeLimits() {
    std::size_t total = 0;
    for (std::size_t n : sent_at_limit) total += n;
    std::size_t seen = 0;
    for (std::size_t limit = 0; limit < sent_at_limit.size(); ++limit) {
      if (sent_at_limit[limit] == 0) continue;
      if (summary.limit_lowest == 0) summary.limit_lowest = static_cast<int>(limit);
      summary.limit_highest = static_cast<int>(limit);
      if (summary.limit_settled == 0 && 2 * (seen + sent_at_limit[limit]) >= total) {
        summary.limit_settled = static_cast<int>(limit);
      }
      seen += sent_at_limit[limit];
    }
  }

  asio::awaitable<ExecutionSummary> Run() {
    if (options.adaptive) {
      reported_limit = adaptive.limit();
      if (observer) observer->LimitChanged(reported_limit);
    }
    for (;;) {
      std::vector<int> batch;
      const std::size_t slots = Slots();
      const bool keep_critical_slot =
          KeepSlotForCriticalPath(schedule.size(), schedule.critical_path(), slots);
      // Longest chain first; with capacity to spare, one slot only for the
      // critical path (schedule.h: KeepSlotForCriticalPath).
      const std::size_t open_to_all = keep_critical_slot ? slots - 1 : slots;
      while (in_flight + batch.size() < slots) {
        if (in_flight + batch.size() >= open_to_all && !schedule.ReadyIsCritical()) break;
        const int op = schedule.TakeReady();
        if (op < 0) break;
        batch.push_back(op);
      }
      if (!batch.empty()) {
        Status journaled = Status::Ok();
        if (journal) {
          std::vector<OpIntent> intents;
          for (int op : batch) intents.push_back({op, IdempotencyKeyFor(options.run_id, op), 1});
          journaled = co_await asio::co_spawn(journal_thread,
                                              RecordIntentsDurably(journal, std::move(intents)),
                                              asio::use_awaitable);
        }
        if (!journaled.ok()) {
          // Without a durable intent no request may leave.
          summary.journal_error = journaled;
          schedule.Stop();
          for (int op : batch) {
            OpResult r;
            r.state = OpResult::State::kFailed;
            r.message = "not sent: the journal could not be written: " + journaled.message();
            ++in_flight;
            Finish(graph.op(op), std::move(r), 0, "");
          }
        } else {
          // Sent even if a stop came while the intents were written: once
          // durable, the batch is in flight, and every intent of a cleanly
          // stopped run gets its outcome.
          for (int op : batch) {
            ++in_flight;
            asio::co_spawn(io, RunOp(op), asio::detached);
          }
        }
      }
      if (in_flight == 0 && !schedule.HasReady()) break;
      if (!woken) {
        wake.expires_at(asio::steady_timer::time_point::max());
        co_await wake.async_wait(kUseTuple);
      }
      woken = false;
    }
    if (journal) {
      // After every outcome posted before it: the journal is complete and
      // durable, and the caller may use it again.
      Status s = co_await asio::co_spawn(journal_thread, SyncJournal(journal), asio::use_awaitable);
      if (!s.ok() && summary.journal_error.ok()) summary.journal_error = s;
    }
    if (options.adaptive) SummarizeLimits();
    for (std::size_t i = 0; i < summary.results.size(); ++i) {
      if (schedule.state(static_cast<int>(i)) == Schedule::State::kBlocked) {
        summary.results[i].state = OpResult::State::kBlocked;
      }
    }
    co_return std::move(summary);
  }
};

Executor::Executor(asio::any_io_executor io, std::string account, const OpGraph& graph,
                   Schedule& schedule, HttpClient& http, JournalWriter* journal,
                   std::map<std::string, std::string> camera_ids, ExecutorOptions options,
                   ExecutionObserver* observer)
    : impl_(std::make_unique<Impl>(io, std::move(account), graph, schedule, http, journal,
                                   std::move(camera_ids), std::move(options), observer)) {}

Executor::~Executor() = default;

asio::awaitable<ExecutionSummary> Executor::Run() {
  return impl_->Run();
}

void Executor::RequestStop() {
  impl_->summary.interrupted = true;
  impl_->schedule.Stop();
  impl_->Wake();
}

const std::map<std::string, std::string>& Executor::camera_ids() const {
  return impl_->camera_ids;
}

}  // namespace licmove
