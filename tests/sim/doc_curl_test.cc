// The curl examples in README.md and docs/*.md: every one that sends a body
// says it is JSON, as portal-sim requires (415 otherwise), so that a reader
// who copies one gets the answer the page shows.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace licmove::sim::testing {
namespace {

namespace fs = std::filesystem;

struct CurlCommand {
  std::string where;  // "docs/PORTAL_SIM.md:232"
  std::string text;   // continuation lines joined
};

// Every curl command in a Markdown file, `\`-continued lines joined.
std::vector<CurlCommand> CurlCommands(const fs::path& file, const std::string& name) {
  static const std::regex kCurl(R"((^|[\s$;|&(])curl\s)");
  std::ifstream in(file);
  std::vector<CurlCommand> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!std::regex_search(line, kCurl)) continue;
    CurlCommand c{name + ":" + std::to_string(n), line};
    while (!c.text.empty() && c.text.back() == '\\' && std::getline(in, line)) {
      c.text.pop_back();
      c.text += line;
      ++n;
    }
    out.push_back(std::move(c));
  }
  return out;
}

TEST(DocCurlTest, EveryCurlThatSendsABodySaysItIsJson) {
  const fs::path source = LICMOVE_SOURCE_DIR;
  std::vector<std::pair<fs::path, std::string>> files = {{source / "README.md", "README.md"}};
  for (const auto& entry : fs::directory_iterator(source / "docs")) {
    if (entry.path().extension() == ".md")
      files.emplace_back(entry.path(), "docs/" + entry.path().filename().string());
  }
  // -d, --data, --data-raw, --data-binary, --data-urlencode, -F, --form, -T, --upload-file
  static const std::regex kSendsBody(
      R"(\s(-d|--data(-raw|-binary|-urlencode|-ascii)?|-F|--form|-T|--upload-file)(\s|=|'|"))");
  static const std::regex kJsonType(R"(-H\s*['"]content-type:\s*application/json['"])",
                                    std::regex::icase);
  int with_body = 0;
  for (const auto& [path, name] : files) {
    for (const CurlCommand& c : CurlCommands(path, name)) {
      if (!std::regex_search(c.text, kSendsBody)) continue;
      ++with_body;
      EXPECT_TRUE(std::regex_search(c.text, kJsonType))
          << c.where << ": a curl that sends a body needs -H 'Content-Type: application/json'"
          << " (curl -d sends application/x-www-form-urlencoded, which portal-sim answers 415):\n"
          << c.text;
    }
  }
  EXPECT_GT(with_body, 0);  // the walk-throughs have some: the check is not vacuous
}

}  // namespace
}  // namespace licmove::sim::testing
