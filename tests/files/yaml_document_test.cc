#include "files/yaml_document.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <boost/json.hpp>

#include "alias_bomb.h"
#include "diagnostics_matchers.h"
#include "location_cases.h"

namespace licmove {
namespace {

namespace json = boost::json;

struct Parsed {
  std::optional<YamlDocument> doc;
  Diagnostics problems;
};

Parsed Parse(std::string_view text) {
  Parsed p;
  p.doc = ParseYamlDocument(text, "f.yaml", p.problems);
  return p;
}

TEST(YamlDocument, ScalarsFollowTheCoreSchema) {
  Parsed p = Parse(R"(int: 42
negative: -7
hex: 0x1F
octal: 0o17
float: 1.5
exp: 2e3
whole: 1825.0
beyond_exact: 1e300
quoted_int: "42"
single_quoted: '007'
bool: true
Bool: False
yes_is_text: yes
on_is_text: on
tilde: ~
null_word: null
empty:
time: 2026-11-29T00:00:00Z
tagged: !!str 12
block: |
  two
  lines
huge: 99999999999999999999999
dots: 1.2.3
)");
  ASSERT_TRUE(p.doc) << ListDiagnostics(p.problems);
  EXPECT_TRUE(p.problems.empty()) << ListDiagnostics(p.problems);
  const json::object& o = p.doc->root.as_object();
  EXPECT_EQ(o.at("int"), json::value(42));
  EXPECT_EQ(o.at("negative"), json::value(-7));
  EXPECT_EQ(o.at("hex"), json::value(31));
  EXPECT_EQ(o.at("octal"), json::value(15));
  EXPECT_EQ(o.at("float"), json::value(1.5));
  // A float with no fraction is the integer it equals (JSON Schema's view).
  EXPECT_EQ(o.at("exp"), json::value(2000));
  EXPECT_EQ(o.at("whole"), json::value(1825));
  ASSERT_TRUE(o.at("beyond_exact").is_double());
  EXPECT_DOUBLE_EQ(o.at("beyond_exact").get_double(), 1e300);
  EXPECT_EQ(o.at("quoted_int"), json::value("42"));
  EXPECT_EQ(o.at("single_quoted"), json::value("007"));
  EXPECT_EQ(o.at("bool"), json::value(true));
  EXPECT_EQ(o.at("Bool"), json::value(false));
  EXPECT_EQ(o.at("yes_is_text"), json::value("yes"));
  EXPECT_EQ(o.at("on_is_text"), json::value("on"));
  EXPECT_TRUE(o.at("tilde").is_null());
  EXPECT_TRUE(o.at("null_word").is_null());
  EXPECT_TRUE(o.at("empty").is_null());
  EXPECT_EQ(o.at("time"), json::value("2026-11-29T00:00:00Z"));
  EXPECT_EQ(o.at("tagged"), json::value("12"));
  EXPECT_EQ(o.at("block"), json::value("two\nlines\n"));
  ASSERT_TRUE(o.at("huge").is_double());
  EXPECT_DOUBLE_EQ(o.at("huge").get_double(), 1e23);
  EXPECT_EQ(o.at("dots"), json::value("1.2.3"));
}

TEST(YamlDocument, LocationsOfValuesAndKeys) {
  Parsed p = Parse(R"(moves:
  - from: CAM-1
    to:   CAM-2
  -
  - {a: 1, "b/c": 2, d~e: 3}
empty_value:
last: x
)");
  ASSERT_TRUE(p.doc) << ListDiagnostics(p.problems);
  const YamlDocument& at = *p.doc;
  auto Is = [](TextPosition t, int line, int column) {
    return t.line == line && t.column == column;
  };
  EXPECT_TRUE(Is(at.ValueAt(""), 1, 1));
  EXPECT_TRUE(Is(at.ValueAt("/moves"), 2, 3));
  EXPECT_TRUE(Is(at.KeyAt("/moves"), 1, 1));
  EXPECT_TRUE(Is(at.ValueAt("/moves/0"), 2, 5));
  EXPECT_TRUE(Is(at.ValueAt("/moves/0/from"), 2, 11));
  EXPECT_TRUE(Is(at.KeyAt("/moves/0/from"), 2, 5));
  EXPECT_TRUE(Is(at.ValueAt("/moves/0/to"), 3, 11));
  // An empty list item is placed at its "-", an empty value at its key.
  EXPECT_TRUE(Is(at.ValueAt("/moves/1"), 4, 3));
  EXPECT_TRUE(Is(at.ValueAt("/empty_value"), 6, 1));
  EXPECT_TRUE(Is(at.ValueAt("/moves/2/a"), 5, 9));
  EXPECT_TRUE(Is(at.ValueAt("/moves/2/b~1c"), 5, 19));
  EXPECT_TRUE(Is(at.ValueAt("/moves/2/d~0e"), 5, 27));
  // A member that is not there: its nearest ancestor.
  EXPECT_TRUE(Is(at.ValueAt("/moves/0/service"), 2, 5));
  EXPECT_TRUE(Is(at.ValueAt("/last"), 7, 7));
}

TEST(YamlDocument, PositionsSurviveByteOrderMarksLineBreaksAndWideCharacters) {
  Parsed p = Parse(
      "\xef\xbb\xbf"
      "a: 1\r\nb: [x, y]\r\nc: \xc3\xa9\xc3\xa9 z\r\nd: w\n");
  ASSERT_TRUE(p.doc) << ListDiagnostics(p.problems);
  const YamlDocument& at = *p.doc;
  EXPECT_EQ(at.KeyAt("/a").line, 1);
  EXPECT_EQ(at.KeyAt("/a").column, 1);
  EXPECT_EQ(at.ValueAt("/a").column, 4);
  EXPECT_EQ(at.ValueAt("/b/1").line, 2);
  EXPECT_EQ(at.ValueAt("/b/1").column, 8);
  EXPECT_EQ(at.KeyAt("/d").line, 4);
  EXPECT_EQ(at.ValueAt("/d").column, 4);
  EXPECT_EQ(p.doc->root.at("c"), json::value("\xc3\xa9\xc3\xa9 z"));
}

TEST(YamlDocument, PointerEscaping) {
  EXPECT_EQ(PointerChild("", "moves"), "/moves");
  EXPECT_EQ(PointerChild("/moves", 3), "/moves/3");
  EXPECT_EQ(PointerChild("/x", "a/b~c"), "/x/a~1b~0c");
}

TEST(YamlDocument, SyntaxErrorHasItsPositionAndPlainWords) {
  Parsed p = Parse("version: 1\nmoves:\n  - {from: A, to: B\n");
  EXPECT_FALSE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].line, 4);
  EXPECT_EQ(p.problems[0].message, "a '{' is never closed with '}'");

  p = Parse("a: 1\n b: 2\n");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_TRUE(HasDiagnostic(p.problems, 2, 3, "check the indentation"));

  p = Parse("a:\n\t- 1\n");
  ASSERT_EQ(p.problems.size(), 1u) << ListDiagnostics(p.problems);
  EXPECT_GE(p.problems[0].line, 1);

  p = Parse("a: \"unterminated\n");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_NE(p.problems[0].message.find("never closed"), std::string::npos);

  p = Parse("a: \"\\q\"\n");
  ASSERT_EQ(p.problems.size(), 1u);
  // yaml-cpp points just past the escape.
  EXPECT_TRUE(HasDiagnostic(p.problems, 1, 7, "unknown escape '\\q'"));
}

TEST(YamlDocument, EmptyFilesAreWholeFileProblems) {
  for (std::string_view text : {"", "\n\n", "# only a comment\n", "---\n", "~\n"}) {
    Parsed p = Parse(text);
    EXPECT_FALSE(p.doc) << "'" << text << "'";
    ASSERT_EQ(p.problems.size(), 1u) << "'" << text << "'";
    EXPECT_EQ(p.problems[0].line, 0);
    EXPECT_FALSE(p.problems[0].message.empty());
  }
}

TEST(YamlDocument, TopLevelScalarIsADocument) {
  Parsed p = Parse("just text\n");
  ASSERT_TRUE(p.doc);
  EXPECT_EQ(p.doc->root, json::value("just text"));
}

TEST(YamlDocument, NotUtf8) {
  Parsed p = Parse("a: 1\nb: caf\xe9\n");
  EXPECT_FALSE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].ToString(),
            "f.yaml:2:7: the file is not valid UTF-8 (byte 0xE9 here); save it as UTF-8");
  // Columns count characters, not bytes.
  p = Parse("a: \xc3\xa9\xff\n");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].column, 5);
  // Overlong encodings and surrogates are not UTF-8 either.
  EXPECT_FALSE(Parse("a: \xc0\xaf\n").doc);
  EXPECT_FALSE(Parse("a: \xed\xa0\x80\n").doc);
  EXPECT_TRUE(Parse("name: \xe2\x82\xac \xf0\x9f\x93\xb7\n").doc);
}

TEST(YamlDocument, DeepNestingIsAProblemNotACrash) {
  std::string deep = "a: " + std::string(100, '[') + std::string(100, ']') + "\n";
  Parsed p = Parse(deep);
  ASSERT_TRUE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u) << ListDiagnostics(p.problems);
  EXPECT_NE(p.problems[0].message.find("nested more than 64 levels"), std::string::npos);

  // Deeper than yaml-cpp itself allows.
  std::string deeper = "a: " + std::string(20000, '[') + "\n";
  p = Parse(deeper);
  EXPECT_FALSE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u) << ListDiagnostics(p.problems);
  EXPECT_TRUE(HasDiagnostic(p.problems, 1, 36, "nested more than 64 levels"));
}

TEST(YamlDocument, DuplicateKeysAreReportedAndTheFirstKept) {
  Parsed p = Parse("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n");
  ASSERT_TRUE(p.doc);
  ASSERT_EQ(p.problems.size(), 2u) << ListDiagnostics(p.problems);
  EXPECT_TRUE(HasDiagnostic(p.problems, 4, 3,
                            "key \"x\" appears twice in this mapping (first at "
                            "line 3)"));
  EXPECT_TRUE(HasDiagnostic(p.problems, 5, 1,
                            "key \"a\" appears twice in this mapping (first at "
                            "line 1)"));
  EXPECT_EQ(p.doc->root.at("a"), json::value(1));
  EXPECT_EQ(p.doc->root.at("b").at("x"), json::value(1));
}

TEST(YamlDocument, MoreThanOneDocument) {
  Parsed p = Parse("a: 1\n---\nb: 2\n");
  ASSERT_TRUE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_TRUE(HasDiagnostic(p.problems, 2, 1, "holds 2 YAML documents"));
}

TEST(YamlDocument, AliasBombIsRefused) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char name = 'b'; name <= 'j'; ++name, ++prev) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  Parsed p = Parse(bomb);
  EXPECT_FALSE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u) << ListDiagnostics(p.problems);
  EXPECT_NE(p.problems[0].message.find("aliases"), std::string::npos);

  // Ordinary aliases are fine.
  p = Parse("base: &b {service: alarm-management}\nother: *b\n");
  ASSERT_TRUE(p.doc);
  EXPECT_TRUE(p.problems.empty()) << ListDiagnostics(p.problems);
  EXPECT_EQ(p.doc->root.at("other").at("service"), json::value("alarm-management"));
}

// The guard counts bytes: a 1 MB plan whose 1999 aliases each copy a list of
// 1000 long serials (2 GB written out) is refused at the first alias that
// takes it past twice its size plus the allowance, the second one, before
// any more is copied.
TEST(YamlDocument, AliasesThatCopyManyBytesAreRefusedBeforeTheyExpand) {
  const std::string bomb = testing::AliasByteBomb();
  ASSERT_LT(bomb.size(), 1100u * 1000u);
  Parsed p = Parse(bomb);
  EXPECT_FALSE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u) << ListDiagnostics(p.problems);
  EXPECT_TRUE(HasDiagnostic(p.problems, testing::BombAliasLine(1), 15,
                            "aliases ('*name') expand this document beyond twice its own size "
                            "plus 256 KiB"));
}

// Without aliases no document reaches the bound, not even one of the
// densest values there are: mappings of one-letter keys whose values are left
// out, 79 values and 1 + 26 * 3 bytes of them in every 54 bytes of text.
TEST(YamlDocument, DocumentsWithoutAliasesNeverReachTheExpansionBound) {
  std::string letters = "{a";
  for (char c = 'b'; c <= 'z'; ++c) letters += std::string(",") + c;
  letters += "}";
  std::string text = "[" + letters;
  while (text.size() < 2000000) text += "," + letters;
  text += "]\n";
  Parsed p = Parse(text);
  ASSERT_TRUE(p.doc);
  EXPECT_TRUE(p.problems.empty()) << ListDiagnostics(p.problems);
  const std::size_t last = p.doc->root.as_array().size() - 1;
  EXPECT_EQ(p.doc->root.as_array()[last].as_object().size(), 26u);
  // All on one line: its columns are still counted right (and in linear
  // time; counted from the line's start each time, this parse had not
  // finished after 13 minutes).
  const TextPosition at = p.doc->ValueAt("/" + std::to_string(last));
  EXPECT_EQ(at.line, 1);
  EXPECT_EQ(at.column, static_cast<int>(text.size() - 2 - letters.size() + 1));
}

TEST(YamlDocument, OverlongValueIsRefused) {
  Parsed p = Parse("a: " + std::string(5000, 'x') + "\n");
  ASSERT_TRUE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_TRUE(HasDiagnostic(p.problems, 1, 4, "this value is 5000 bytes long"));
}

// yaml-cpp's LoadAll makes empty documents forever on a ',' it cannot
// place; reading events, we stop and say where it is.
TEST(YamlDocument, StrayCommaIsASyntaxError) {
  for (std::string_view text : {",", "[a]\n,\n", "---\n, x\n"}) {
    Parsed p = Parse(text);
    EXPECT_FALSE(p.doc) << text;
    ASSERT_EQ(p.problems.size(), 1u) << text << ListDiagnostics(p.problems);
    EXPECT_NE(p.problems[0].message.find("',' cannot start a value here"), std::string::npos);
    EXPECT_GE(p.problems[0].line, 1);
  }
  Parsed p = Parse("[a]\n,\n");
  EXPECT_TRUE(HasDiagnostic(p.problems, 2, 1, "',' cannot start a value here"));
}

TEST(YamlDocument, KeysMustBeScalars) {
  Parsed p = Parse("? [a, b]\n: 1\nc: 2\n");
  ASSERT_TRUE(p.doc);
  ASSERT_EQ(p.problems.size(), 1u) << ListDiagnostics(p.problems);
  EXPECT_TRUE(HasDiagnostic(p.problems, 1, 3, "a key must be a plain word"));
  EXPECT_EQ(p.doc->root.at("c"), json::value(2));
}

// Every answer of ValueAt and KeyAt for the inputs of location_cases.h,
// one line a pointer: "pointer value-line:col key-line:col", after the
// diagnostics of each input.
std::string DumpLocations() {
  std::ostringstream out;
  for (const std::string& text : testing::LocationCases()) {
    Parsed p = Parse(text);
    out << "CASE\n";
    for (const Diagnostic& d : p.problems) out << "D " << d.ToString() << "\n";
    if (!p.doc) continue;
    for (const std::string& pointer : testing::ProbePointers(p.doc->root)) {
      const TextPosition v = p.doc->ValueAt(pointer);
      const TextPosition k = p.doc->KeyAt(pointer);
      out << pointer << " " << v.line << ":" << v.column << " " << k.line << ":" << k.column
          << "\n";
    }
  }
  return out.str();
}

// data/locations_golden.txt was written by the string-keyed index this tree
// replaced: escaped keys (~0, ~1), list indexes in and out of range or not
// canonical, values inside aliases, values nested too deep, duplicate and
// non-scalar keys, byte order marks and wide characters must all be placed
// as they were.
TEST(YamlDocument, LocationsAnswerAsTheStringKeyedIndexDid) {
  std::ifstream in(LICMOVE_SOURCE_DIR "/tests/files/data/locations_golden.txt");
  ASSERT_TRUE(in) << "cannot open locations_golden.txt";
  std::stringstream golden;
  golden << in.rdbuf();
  const std::string actual = DumpLocations();
  std::istringstream want(golden.str()), got(actual);
  std::string want_line, got_line;
  for (int line = 1; std::getline(want, want_line); ++line) {
    ASSERT_TRUE(std::getline(got, got_line)) << "missing from line " << line << ": " << want_line;
    ASSERT_EQ(got_line, want_line) << "at line " << line;
  }
  EXPECT_FALSE(std::getline(got, got_line)) << "extra: " << got_line;
}

TEST(YamlDocument, DuplicateKeyNamesTheLineOfTheFirst) {
  Parsed p = Parse("list:\n  - x\n  - {a: 1,\n     b: 2,\n     a: 3}\n");
  ASSERT_TRUE(p.doc);
  EXPECT_TRUE(
      HasDiagnostic(p.problems, 5, 6, "key \"a\" appears twice in this mapping (first at line 3)"))
      << ListDiagnostics(p.problems);
}

TEST(YamlDocument, AnIndexWithoutNodesAnswersNothing) {
  const LocationIndex empty;
  EXPECT_EQ(empty.ValueAt(json::value(nullptr), "").line, 0);
  EXPECT_EQ(empty.KeyAt(json::value(nullptr), "/a").line, 0);
}

// A block document written from random choices, and where each scalar and
// each key went.
class BlockWriter {
 public:
  explicit BlockWriter(const std::vector<std::uint8_t>& choices) : choices_(choices) {}

  struct Expected {
    std::string pointer;
    TextPosition value;
    TextPosition key;
  };

  void Mapping(const std::string& at, int indent, int depth) {
    static const char* const kKeys[] = {"a", "b~", "/c", "~1", "e/~0", "0"};
    const int members = 1 + Next() % 3;
    for (int k = 0; k < members; ++k) {
      const std::string key = kKeys[Next() % 6] + std::to_string(k);
      const TextPosition key_at{line_, indent + 1};
      text_ += std::string(indent, ' ') + key + ":";
      Value(PointerChild(at, key), indent, depth, key_at,
            static_cast<int>(indent + key.size() + 2));
    }
  }

  void List(const std::string& at, int indent, int depth) {
    const int entries = 1 + Next() % 4;
    for (int i = 0; i < entries; ++i) {
      text_ += std::string(indent, ' ') + "-";
      Value(PointerChild(at, static_cast<std::size_t>(i)), indent, depth, {}, indent + 2);
    }
  }

  const std::string& text() const { return text_; }
  const std::vector<Expected>& expected() const { return expected_; }

 private:
  // After "key:" or "-": a scalar on the same line, or a collection below.
  void Value(const std::string& at, int indent, int depth, TextPosition key_at, int column) {
    const int kind = depth >= 4 ? 0 : Next() % 3;
    if (kind == 0) {
      const std::string scalar = "v" + std::to_string(expected_.size());
      text_ += " " + scalar + "\n";
      const TextPosition value_at{line_, column + 1};
      expected_.push_back({at, value_at, key_at.line > 0 ? key_at : value_at});
      ++line_;
      return;
    }
    text_ += "\n";
    ++line_;
    if (kind == 1) {
      Mapping(at, indent + 2, depth + 1);
    } else {
      List(at, indent + 2, depth + 1);
    }
  }

  int Next() { return next_ < choices_.size() ? choices_[next_++] : 0; }

  const std::vector<std::uint8_t>& choices_;
  std::size_t next_ = 0;
  std::string text_;
  int line_ = 1;
  std::vector<Expected> expected_;
};

RC_GTEST_PROP(YamlDocument, EveryScalarAndKeyIsFoundWhereItWasWritten,
              (const std::vector<std::uint8_t>& choices)) {
  BlockWriter writer(choices);
  writer.Mapping("", 0, 0);
  Parsed p = Parse(writer.text());
  RC_ASSERT(p.doc.has_value());
  RC_ASSERT(p.problems.empty());
  for (const BlockWriter::Expected& e : writer.expected()) {
    const TextPosition v = p.doc->ValueAt(e.pointer);
    const TextPosition k = p.doc->KeyAt(e.pointer);
    RC_ASSERT(v.line == e.value.line);
    RC_ASSERT(v.column == e.value.column);
    RC_ASSERT(k.line == e.key.line);
    RC_ASSERT(k.column == e.key.column);
    // Below a scalar: the scalar.
    const TextPosition below = p.doc->ValueAt(e.pointer + "/x/0");
    RC_ASSERT(below.line == v.line);
    RC_ASSERT(below.column == v.column);
  }
}

}  // namespace
}  // namespace licmove
