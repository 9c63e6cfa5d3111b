// Text and attribute values for XML 1.0 documents written by hand.
#pragma once

#include <string>
#include <string_view>

namespace licmove {

enum class XmlContext { kText, kAttribute };

// `text` made safe to place between tags (kText) or inside a double-quoted
// attribute value (kAttribute): & < > " escaped; ill-formed UTF-8 becomes
// U+FFFD; characters XML 1.0 forbids (controls other than tab, line feed and
// carriage return; U+FFFE, U+FFFF) are left out. Carriage returns, and in
// attributes tabs and line feeds too, are written as character references so
// that a parser's normalisation gives them back unchanged.
std::string XmlEscape(std::string_view text, XmlContext context);

}  // namespace licmove
