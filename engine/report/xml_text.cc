#include "report/xml_text.h"

#include "model/utf8.h"

namespace licmove {
namespace {

// XML 1.0, production [2] Char.
bool AllowedInXml(char32_t c) {
  if (c < 0x20) return c == 0x9 || c == 0xA || c == 0xD;
  return c != 0xFFFE && c != 0xFFFF;
}

}  // namespace

std::string XmlEscape(std::string_view text, XmlContext context) {
  const bool attribute = context == XmlContext::kAttribute;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = NextCodePoint(text, i);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;  // also keeps "]]>" out of text
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        if (AllowedInXml(c)) AppendUtf8(out, c);
    }
  }
  return out;
}

}  // namespace licmove
