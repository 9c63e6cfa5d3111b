#include "state/lease_keeper.h"

namespace licmove {

namespace {

class FencedJournal final : public JournalWriter {
 public:
  FencedJournal(std::unique_ptr<JournalWriter> inner, const LeaseKeeper& keeper)
      : inner_(std::move(inner)), keeper_(keeper) {}
  Status RecordIntents(const std::vector<OpIntent>& intents) override {
    if (Status s = keeper_.Check(); !s.ok()) return s;
    return inner_->RecordIntents(intents);
  }
  Status RecordOutcome(const OpOutcome& o) override { return inner_->RecordOutcome(o); }
  Status RecordEnd(const RunEnd& e) override { return inner_->RecordEnd(e); }
  Status Sync() override { return inner_->Sync(); }

 private:
  std::unique_ptr<JournalWriter> inner_;
  const LeaseKeeper& keeper_;
};

}  // namespace

LeaseKeeper::LeaseKeeper(HeldLock& lock, std::chrono::seconds lease)
    : lock_(lock), lease_(lease), renewed_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this] { Run(); });
}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Status LeaseKeeper::Check() const {
  std::lock_guard<std::mutex> l(mu_);
  if (!lost_.ok()) return lost_;
  const auto age = std::chrono::steady_clock::now() - renewed_;
  if (age >= lease_ * 5 / 6) {
    return Status::Unavailable(
        "the account lock's lease could not be renewed for " +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(age).count()) + " s (" +
        last_error_ + "): nothing is sent without it");
  }
  return Status::Ok();
}

void LeaseKeeper::Run() {
  const auto every =
      std::max<std::chrono::milliseconds>(lease_ / 3, std::chrono::milliseconds(100));
  auto next = std::chrono::steady_clock::now() + every;
  std::unique_lock<std::mutex> l(mu_);
  while (!stopping_) {
    if (wake_.wait_until(l, next, [this] { return stopping_; })) break;
    l.unlock();
    const auto started = std::chrono::steady_clock::now();
    Status s = lock_.Renew();
    l.lock();
    if (s.ok()) {
      renewed_ = started;
      next = started + every;
    } else if (s.code() == Status::Code::kConflict) {
      lost_ = Status::Unavailable(s.message() + ": nothing is sent without it");
      break;
    } else {
      last_error_ = s.message();
      next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
  }
}

std::unique_ptr<JournalWriter> FenceJournal(std::unique_ptr<JournalWriter> journal,
                                            const LeaseKeeper& keeper) {
  return std::make_unique<FencedJournal>(std::move(journal), keeper);
}

}  // namespace licmove
