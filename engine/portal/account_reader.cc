#include "portal/account_reader.h"

#include <chrono>
#include <optional>
#include <random>
#include <unordered_map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "portal/portal_json.h"

namespace licmove {

namespace asio = boost::asio;

namespace {

std::string Encode(const std::string& s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

// GETs `target`, retrying what IsRetryable says is transient.
asio::awaitable<Result<HttpResponse>> GetWithRetry(HttpClient& http, const std::string& target,
                                                   const RetryPolicy& retry, std::mt19937_64& rng) {
  for (int attempt = 1;; ++attempt) {
    // A named request, moved in: g++ 12 destroys a braced temporary passed to
    // a coroutine twice.
    HttpRequest request;
    request.target = target;
    auto res = co_await http.Send(std::move(request));
    const unsigned status = res.ok() ? res->status : 0;
    if (!IsRetryable(status) || attempt >= retry.max_attempts) co_return res;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(
        RetryDelay(retry, attempt, res.ok() ? res->retry_after_seconds : std::nullopt, rng()));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

// Fetches every page of `base`, appending items to `out`.
template <typename T, typename Decode>
asio::awaitable<Status> ReadAll(HttpClient& http, const std::string& base, int page_size,
                                const RetryPolicy& retry, std::mt19937_64& rng, Decode decode,
                                std::vector<T>& out, std::string& date) {
  std::string cursor;
  do {
    std::string target = base + (base.find('?') == std::string::npos ? "?" : "&") +
                         "limit=" + std::to_string(page_size);
    if (!cursor.empty()) target += "&cursor=" + Encode(cursor);
    auto res = co_await GetWithRetry(http, target, retry, rng);
    if (!res.ok()) co_return Status::Unavailable("GET " + target + ": " + res.status().message());
    if (res->status != 200) co_return DecodeError(res->status, res->body, "GET " + target);
    auto page = decode(res->body);
    if (!page.ok()) co_return Status::Internal("GET " + target + ": " + page.status().message());
    for (auto& item : page->items) out.push_back(std::move(item));
    if (!res->date.empty()) date = res->date;
    cursor = page->next_cursor;
  } while (!cursor.empty());
  co_return Status::Ok();
}

}  // namespace

// g++ 12 warns -Wmismatched-new-delete at the end of this coroutine: Asio's
// awaitable frames are allocated and freed by the matching class-level
// operator new/delete of awaitable_frame_base (a per-thread recycling
// allocator); after inlining g++ pairs the sized class delete with the frame
// allocation and calls them mismatched. A known false positive (GCC bug
// 109224, seen with any coroutine frame allocator); ASan, which checks
// alloc/dealloc pairs at run time, finds nothing here. Silenced for this one
// function only, so the warning still guards every other new/delete.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
asio::awaitable<Result<AccountSnapshot>> ReadAccount(HttpClient& http, const std::string& account,
                                                     int page_size, RetryPolicy retry) {
  std::mt19937_64 rng(std::random_device{}());
  const std::string base = "/api/v1/accounts/" + Encode(account);
  std::vector<PortalCamera> cameras;
  std::vector<PortalLicense> licenses;
  std::string date;
  if (Status s = co_await ReadAll<PortalCamera>(http, base + "/cameras", page_size, retry, rng,
                                                DecodeCameraPage, cameras, date);
      !s.ok()) {
    co_return s;
  }
  if (Status s = co_await ReadAll<PortalLicense>(http, base + "/licenses?state=all", page_size,
                                                 retry, rng, DecodeLicensePage, licenses, date);
      !s.ok()) {
    co_return s;
  }

  AccountSnapshot snap;
  snap.account.name = account;
  if (auto t = ParseHttpDate(date)) {
    snap.now = *t;
  } else {
    snap.now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  }
  // The camera list says which service each key serves and its auto_renew;
  // the license list says term and clock. Join them by camera id.
  std::unordered_map<std::string, const PortalCamera*> by_id;
  std::unordered_map<std::string, bool> auto_renew_by_key;
  snap.account.cameras.reserve(cameras.size());
  for (const PortalCamera& c : cameras) {
    by_id.emplace(c.id, &c);
    snap.account.cameras.push_back(Camera{c.serial, c.name, c.site, c.id});
    for (const PortalService& s : c.services) auto_renew_by_key[s.license_key] = s.auto_renew;
  }
  snap.account.licenses.reserve(licenses.size());
  for (PortalLicense& l : licenses) {
    License out{std::move(l.key), std::move(l.service), l.term_days, l.activated_at};
    if (!l.assigned_to.empty()) {
      auto it = by_id.find(l.assigned_to);
      if (it == by_id.end()) {
        co_return Status::Conflict("license " + out.key + " is assigned to camera id " +
                                   l.assigned_to +
                                   ", which the camera list did not have: the account changed "
                                   "while it was read; try again");
      }
      out.assigned_to = it->second->serial;
      out.auto_renew = auto_renew_by_key[out.key];
    }
    snap.account.licenses.push_back(std::move(out));
  }
  co_return snap;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

Result<AccountSnapshot> ReadAccountBlocking(const HttpClientOptions& options,
                                            const std::string& account, int page_size,
                                            RetryPolicy retry) {
  asio::io_context io;
  HttpClient http(io.get_executor(), options);
  std::optional<Result<AccountSnapshot>> out;
  asio::co_spawn(io, ReadAccount(http, account, page_size, retry),
                 [&out](std::exception_ptr e, Result<AccountSnapshot> r) {
                   if (e) {
                     out.emplace(Status::Internal("reading the account failed unexpectedly"));
                   } else {
                     out.emplace(std::move(r));
                   }
                 });
  io.run();
  return std::move(*out);
}

}  // namespace licmove
