// The reports' text handling: UTF-8 checked and cut on character boundaries,
// XML escaped for text and attributes.
#include <gtest/gtest.h>

#include "model/utf8.h"
#include "report/xml_text.h"

namespace licmove {
namespace {

TEST(Utf8, KeepsWellFormedText) {
  const std::string text = "plain \xE2\x98\x83 \xF0\x9F\x98\x80 \xC3\xA9";
  EXPECT_EQ(ValidUtf8(text), text);
}

TEST(Utf8, ReplacesEachIllFormedByte) {
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidUtf8("\x80"), "\xEF\xBF\xBD");                  // stray continuation
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"),                           // a surrogate
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ValidUtf8("\xF4\x90\x80\x80").size(), 12u);              // above U+10FFFF
  EXPECT_EQ(ValidUtf8("ok\xE2\x98"), "ok\xEF\xBF\xBD\xEF\xBF\xBD");  // cut short
}

TEST(Utf8, ClipsOnCharacterBoundaries) {
  const std::string snowmen = "\xE2\x98\x83\xE2\x98\x83";  // 2 x 3 bytes
  EXPECT_EQ(ClipUtf8(snowmen, 6), snowmen);
  EXPECT_EQ(ClipUtf8(snowmen, 5), "\xE2\x98\x83");
  EXPECT_EQ(ClipUtf8(snowmen, 4), "\xE2\x98\x83");
  EXPECT_EQ(ClipUtf8(snowmen, 3), "\xE2\x98\x83");
  EXPECT_EQ(ClipUtf8(snowmen, 2), "");
  EXPECT_EQ(ClipUtf8("abc", 2), "ab");
}

TEST(XmlEscape, EscapesMarkupInTextAndAttributes) {
  EXPECT_EQ(XmlEscape("a<b>&\"c\"]]>", XmlContext::kText), "a&lt;b&gt;&amp;\"c\"]]&gt;");
  EXPECT_EQ(XmlEscape("a<b>&\"c\"", XmlContext::kAttribute), "a&lt;b&gt;&amp;&quot;c&quot;");
}

TEST(XmlEscape, KeepsLineBreaksAndTabsThroughNormalisation) {
  EXPECT_EQ(XmlEscape("1\r\n2\t3", XmlContext::kText), "1&#13;\n2\t3");
  EXPECT_EQ(XmlEscape("1\r\n2\t3", XmlContext::kAttribute), "1&#13;&#10;2&#9;3");
}

TEST(XmlEscape, LeavesOutWhatXmlForbids) {
  EXPECT_EQ(XmlEscape(std::string("a\x01\x08\x0B\x0C\x1B") + '\0' + "b", XmlContext::kText), "ab");
  EXPECT_EQ(XmlEscape("a\xEF\xBF\xBE\xEF\xBF\xBF"
                      "b",
                      XmlContext::kAttribute),
            "ab");
  EXPECT_EQ(XmlEscape("a\xFF"
                      "b",
                      XmlContext::kText),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(XmlEscape("\x7F\xC2\x85", XmlContext::kText), "\x7F\xC2\x85");  // allowed in 1.0
}

}  // namespace
}  // namespace licmove
