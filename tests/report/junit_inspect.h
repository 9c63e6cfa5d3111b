// Reading back what RenderJUnit wrote, for assertions. Enough for its own
// output only: attribute values never hold a raw '"' or '>' there.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace licmove::testing {

inline int CountOf(std::string_view xml, std::string_view needle) {
  int n = 0;
  for (std::size_t at = xml.find(needle); at != std::string_view::npos;
       at = xml.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// The value of `attr` in the start tag at `tag_at`, as written (escaped).
inline std::string AttrAt(std::string_view xml, std::size_t tag_at, std::string_view attr) {
  const std::size_t end = xml.find('>', tag_at);
  const std::string key = " " + std::string(attr) + "=\"";
  const std::size_t at = xml.find(key, tag_at);
  if (at == std::string_view::npos || at > end) return "<absent>";
  const std::size_t from = at + key.size();
  return std::string(xml.substr(from, xml.find('"', from) - from));
}

// An attribute of the first `<tag ` start tag.
inline std::string AttrOf(std::string_view xml, std::string_view tag, std::string_view attr) {
  const std::size_t at = xml.find("<" + std::string(tag) + " ");
  if (at == std::string_view::npos) return "<no " + std::string(tag) + ">";
  return AttrAt(xml, at, attr);
}

inline int IntAttrOf(std::string_view xml, std::string_view tag, std::string_view attr) {
  return std::stoi(AttrOf(xml, tag, attr));
}

// Every test case's name, in order, as written.
inline std::vector<std::string> CaseNames(std::string_view xml) {
  std::vector<std::string> names;
  for (std::size_t at = xml.find("<testcase "); at != std::string_view::npos;
       at = xml.find("<testcase ", at + 1)) {
    names.push_back(AttrAt(xml, at, "name"));
  }
  return names;
}

// The text from the test case named `name` to its end tag.
inline std::string CaseXml(std::string_view xml, std::string_view name) {
  const std::size_t at = xml.find("<testcase classname=");
  for (std::size_t t = at; t != std::string_view::npos; t = xml.find("<testcase ", t + 1)) {
    if (AttrAt(xml, t, "name") == name) {
      return std::string(xml.substr(t, xml.find("</testcase>", t) - t));
    }
  }
  return "<no test case " + std::string(name) + ">";
}

}  // namespace licmove::testing
