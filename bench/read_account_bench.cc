// Reads one account from a portal and prints how long it took and how many
// requests it made: the reader alone, without the planner that `licmove plan
// --portal` runs after it. bench/read_bench.sh drives it.
//
//   read_account_bench URL TOKEN ACCOUNT concurrent|sequential [PAGE_SIZE]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "portal/account_reader.h"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: read_account_bench URL TOKEN ACCOUNT concurrent|sequential [PAGE_SIZE]\n");
    return 64;
  }
  licmove::HttpClientOptions options;
  auto url = licmove::ParsePortalUrl(argv[1], false);
  if (!url.ok()) {
    std::fprintf(stderr, "%s\n", url.status().ToString().c_str());
    return 64;
  }
  options.url = *url;
  options.token = argv[2];
  const std::string order_name = argv[4];
  const licmove::ReadOrder order = order_name == "sequential" ? licmove::ReadOrder::kSequential
                                                              : licmove::ReadOrder::kConcurrent;
  const int page_size = argc > 5 ? std::atoi(argv[5]) : licmove::kMaxPageSize;
  int requests = 0;
  options.on_exchange = [&requests](const licmove::HttpExchange&) { ++requests; };
  const auto start = std::chrono::steady_clock::now();
  auto snap = licmove::ReadAccountBlocking(options, argv[3], page_size, {}, order);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!snap.ok()) {
    std::fprintf(stderr, "%s\n", snap.status().ToString().c_str());
    return 1;
  }
  std::printf("%s: %zu cameras, %zu licenses, %d requests, %.3f s\n", order_name.c_str(),
              snap->account.cameras.size(), snap->account.licenses.size(), requests, seconds);
  return 0;
}
