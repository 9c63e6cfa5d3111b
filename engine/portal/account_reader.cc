#include "portal/account_reader.h"

#include <chrono>
#include <optional>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "portal/portal_json.h"
#include "portal/retrying_send.h"

namespace licmove {

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;  // && on awaitables

namespace {

// Pages with nothing on them that a listing may hold beyond one page per
// item: a portal may end a listing with an empty page, but not go on with
// empty pages for ever.
constexpr std::size_t kMaxEmptyPages = 16;

std::string Encode(const std::string& s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

// Fetches every page of `base`, appending items to `out`. A portal that
// hands back a cursor it gave before, or keeps sending pages with nothing on
// them, would be read forever: both stop the read with an error naming the
// endpoint.
template <typename T, typename Decode>
asio::awaitable<Status> ReadAll(HttpClient& http, const std::string& base, int page_size,
                                const RetryPolicy& retry, std::mt19937_64& rng, Decode decode,
                                std::vector<T>& out, std::string& date) {
  std::string cursor;
  std::unordered_set<std::string> seen_cursors;
  std::size_t pages = 0;
  const std::size_t items_before = out.size();
  do {
    std::string target = base + (base.find('?') == std::string::npos ? "?" : "&") +
                         "limit=" + std::to_string(page_size);
    if (!cursor.empty()) target += "&cursor=" + Encode(cursor);
    HttpRequest request;
    request.target = target;
    RetriedResponse sent = co_await SendWithRetry(http, std::move(request), retry, rng);
    const Result<HttpResponse>& res = sent.response;
    if (!res.ok()) {
      co_return Status::Unavailable("GET " + target + ": " + res.status().message() + " (" +
                                    std::to_string(sent.attempts) + " attempts)");
    }
    if (res->status != 200) co_return DecodeError(res->status, res->body, "GET " + target);
    auto page = decode(res->body);
    if (!page.ok()) co_return Status::Internal("GET " + target + ": " + page.status().message());
    for (auto& item : page->items) out.push_back(std::move(item));
    if (!res->date.empty()) date = res->date;
    ++pages;
    cursor = page->next_cursor;
    if (!cursor.empty() && !seen_cursors.insert(cursor).second) {
      co_return Status::Internal("GET " + base + ": the portal sent next_cursor \"" + cursor +
                                 "\" a second time, after " + std::to_string(pages) +
                                 " pages; stopped reading rather than loop forever");
    }
    if (!cursor.empty() && pages > (out.size() - items_before) + kMaxEmptyPages) {
      co_return Status::Internal("GET " + base + ": " + std::to_string(pages) + " pages for " +
                                 std::to_string(out.size() - items_before) +
                                 " items, and still a next_cursor; stopped reading rather than "
                                 "loop forever");
    }
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
                                                     int page_size, RetryPolicy retry,
                                                     ReadOrder order) {
  std::mt19937_64 rng(std::random_device{}());
  const std::string base = "/api/v1/accounts/" + Encode(account);
  std::vector<PortalCamera> cameras;
  std::vector<PortalLicense> licenses;
  std::string date;
  if (order == ReadOrder::kSequential) {
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
  } else {
    // The three chains run at once on this coroutine's executor (one
    // thread: the client's pool, `rng` and `date` need no lock). Each ends
    // on its own; the first error among them is reported, in this order.
    std::vector<PortalLicense> pool;
    auto [cameras_read, assigned_read, pool_read] =
        co_await (ReadAll<PortalCamera>(http, base + "/cameras", page_size, retry, rng,
                                        DecodeCameraPage, cameras, date) &&
                  ReadAll<PortalLicense>(http, base + "/licenses?state=assigned", page_size, retry,
                                         rng, DecodeLicensePage, licenses, date) &&
                  ReadAll<PortalLicense>(http, base + "/licenses?state=pool", page_size, retry, rng,
                                         DecodeLicensePage, pool, date));
    for (const Status* s : {&cameras_read, &assigned_read, &pool_read}) {
      if (!s->ok()) co_return *s;
    }
    licenses.reserve(licenses.size() + pool.size());
    for (PortalLicense& l : pool) licenses.push_back(std::move(l));
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
  std::unordered_set<std::string> keys;
  keys.reserve(licenses.size());
  for (PortalLicense& l : licenses) {
    License out{std::move(l.key), std::move(l.service), l.term_days, l.activated_at};
    // Read as two listings (pool, assigned), a license that changed sides
    // between their pages can come twice.
    if (!keys.insert(out.key).second) {
      co_return Status::Conflict("license " + out.key +
                                 " was listed twice: the account changed while it was read; "
                                 "try again");
    }
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
  // ... or not at all; then the camera that took it still names it.
  for (const PortalCamera& c : cameras) {
    for (const PortalService& s : c.services) {
      if (!keys.contains(s.license_key)) {
        co_return Status::Conflict("camera " + c.serial + " holds license " + s.license_key +
                                   ", which the license list did not have: the account changed "
                                   "while it was read; try again");
      }
    }
  }
  co_return snap;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

Result<AccountSnapshot> ReadAccountBlocking(const HttpClientOptions& options,
                                            const std::string& account, int page_size,
                                            RetryPolicy retry, ReadOrder order) {
  asio::io_context io;
  HttpClient http(io.get_executor(), options);
  std::optional<Result<AccountSnapshot>> out;
  asio::co_spawn(io, ReadAccount(http, account, page_size, retry, order),
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
