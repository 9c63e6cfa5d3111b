#include "files/json_document.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <boost/json.hpp>

#include "model/utf8.h"

namespace licmove {
namespace {

namespace json = boost::json;

// The YAML reader's bounds (yaml_document.cc), for the same reasons: deeper
// than any licmove file needs, and no serial, key or name is that long.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxStringBytes = 1000;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Thrown by Fail to unwind the recursive descent; caught in Parse. Holds no
// data: the diagnostic is already in `out`.
struct SyntaxError {};

// A recursive-descent JSON parser that records, for every value, where it
// (and its key) starts. Positions are kept as it goes: the line from the
// line breaks it has skipped (JSON has them only between tokens), the column
// counted on from the last position asked for on that line, so a document on
// one line costs no more than one on many.
class JsonScanner {
 public:
  // REQUIRES: doc.root uses `storage`.
  JsonScanner(std::string_view text, YamlDocument& doc, json::storage_ptr storage,
              Diagnostics& out)
      : text_(text), doc_(doc), out_(out), storage_(std::move(storage)) {
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) pos_ = line_start_ = kUtf8Bom.size();
    column_offset_ = line_start_;
  }

  bool Parse() {
    try {
      SkipSpace();
      if (pos_ == text_.size()) {
        Report({0, 0}, "the file is empty");
        return false;
      }
      LocationIndex::Node node = 0;
      // Moved, not copied: doc_.root was made with storage_ (a value keeps
      // its storage when assigned to, copying what comes from another).
      doc_.root = ParseValue(0, TextPosition{}, node);
      SkipSpace();
      if (pos_ != text_.size()) {
        Fail(Here(), "text after the end of the JSON value; a JSON file holds one value");
      }
      return true;
    } catch (const SyntaxError&) {
      return false;
    }
  }

 private:
  using Node = LocationIndex::Node;

  json::value ParseValue(int depth, TextPosition key_at, Node& node) {
    const TextPosition at = Here();
    node = doc_.locations.Add(at, key_at.line > 0 ? key_at : at);
    if (pos_ >= text_.size()) Fail(at, "the text ends where a value was expected");
    const char c = text_[pos_];
    switch (c) {
      case '{':
        return ParseObject(depth, at, node);
      case '[':
        return ParseArray(depth, at, node);
      case '"':
        return ParseStringValue(at);
      case 't':
        return Word("true", json::value(true, storage_), at);
      case 'f':
        return Word("false", json::value(false, storage_), at);
      case 'n':
        return Word("null", json::value(nullptr, storage_), at);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(at);
        if (c == '/' || c == '#') Fail(at, "JSON has no comments");
        if (c == '\'') Fail(at, "JSON strings are in double quotes (\"...\"), not single ones");
        if (c == ']' || c == '}' || c == ',') {
          Fail(at, std::string("'") + c + "' where a value was expected" +
                       (c == ',' ? "" : "; JSON allows no ',' before a closing bracket"));
        }
        Fail(at, "a value was expected here; text goes in double quotes (\"...\")");
    }
  }

  json::value ParseObject(int depth, TextPosition at, Node node) {
    CheckDepth(depth, at);
    ++pos_;  // '{'
    const std::size_t members_start = members_.size();
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
    } else {
      for (;;) {
        const TextPosition key_at = Here();
        if (pos_ >= text_.size()) {
          Fail(key_at, "the text ends inside an object: a '{' is never closed");
        }
        if (Peek() != '"') {
          Fail(key_at, Peek() == '}' ? "a ',' before '}': JSON allows no trailing comma"
                                     : "a key in double quotes (\"...\") was expected here");
        }
        std::string key;
        ParseString(key, key_at);
        SkipSpace();
        if (Peek() != ':') Fail(Here(), "':' was expected after the key");
        ++pos_;
        SkipSpace();
        Node child = 0;
        json::value value = ParseValue(depth + 1, key_at, child);
        // Moved, not assigned: assigning a value to one of another storage
        // copies it.
        members_.push_back(Member{std::move(key), std::move(value), child, key_at});
        SkipSpace();
        if (Peek() == ',') {
          ++pos_;
          SkipSpace();
          continue;
        }
        if (Peek() == '}') {
          ++pos_;
          break;
        }
        Fail(Here(), pos_ >= text_.size() ? "the text ends inside an object: a '{' is never closed"
                                          : "',' or '}' was expected after a member");
      }
    }
    // The object is made once its size is known: grown member by member it
    // rehashed (and, from the arena, left every smaller table behind).
    json::object object(members_.size() - members_start, storage_);
    const std::size_t pending_start = pending_.size();
    for (std::size_t i = members_start; i < members_.size(); ++i) {
      Member& m = members_[i];
      auto [it, inserted] = object.emplace(m.key, std::move(m.value));
      if (inserted) {
        pending_.push_back(m.node);
        continue;
      }
      const Node first = pending_[pending_start + static_cast<std::size_t>(it - object.begin())];
      Report(m.key_at, "key \"" + Shorten(m.key) +
                           "\" appears twice in this object (first at line " +
                           std::to_string(doc_.locations.KeyOf(first).line) + "); remove one");
    }
    members_.resize(members_start);
    Close(node, pending_start);
    return json::value(std::move(object));
  }

  json::value ParseArray(int depth, TextPosition at, Node node) {
    CheckDepth(depth, at);
    ++pos_;  // '['
    json::array entries(storage_);
    const std::size_t pending_start = pending_.size();
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
    } else {
      for (;;) {
        if (Peek() == ']') Fail(Here(), "a ',' before ']': JSON allows no trailing comma");
        Node child = 0;
        entries.push_back(ParseValue(depth + 1, TextPosition{}, child));
        pending_.push_back(child);
        SkipSpace();
        if (Peek() == ',') {
          ++pos_;
          SkipSpace();
          continue;
        }
        if (Peek() == ']') {
          ++pos_;
          break;
        }
        Fail(Here(), pos_ >= text_.size() ? "the text ends inside a list: a '[' is never closed"
                                          : "',' or ']' was expected after a list entry");
      }
    }
    Close(node, pending_start);
    return json::value(std::move(entries));
  }

  // The children of a complete collection go to the index, in the order of
  // its value's entries or members: the index mirrors the value.
  void Close(Node node, std::size_t pending_start) {
    doc_.locations.SetChildren(node, pending_.data() + pending_start,
                               pending_.size() - pending_start);
    pending_.resize(pending_start);
  }

  void CheckDepth(int depth, TextPosition at) {
    if (depth >= kMaxDepth) {
      Fail(at, "values are nested more than " + std::to_string(kMaxDepth) +
                   " levels deep; no licmove file needs that");
    }
  }

  json::value ParseStringValue(TextPosition at) {
    std::string s;
    ParseString(s, at);
    if (s.size() > kMaxStringBytes) {
      Report(at, "this value is " + std::to_string(s.size()) +
                     " bytes long; licmove reads at most " + std::to_string(kMaxStringBytes));
      s.resize(64);
    }
    return json::value(json::string(std::string_view(s), storage_));
  }

  // A string at pos_ (its '"'), unescaped into `out`.
  void ParseString(std::string& out, TextPosition at) {
    ++pos_;
    for (;;) {
      // The run up to the next quote, escape or control character is copied
      // as it is.
      const std::size_t run = pos_;
      while (pos_ < text_.size()) {
        const unsigned char c = static_cast<unsigned char>(text_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20) break;
        ++pos_;
      }
      out.append(text_.data() + run, pos_ - run);
      if (pos_ >= text_.size()) Fail(at, "a string is never closed with '\"'");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c != '\\') {
        Fail(Here(), c == '\n' ? "a string is never closed with '\"' on its line"
                               : "a control character inside a string; write it as an escape "
                                 "such as \\t");
      }
      const TextPosition escape_at = Here();
      ++pos_;
      if (pos_ >= text_.size()) Fail(at, "a string is never closed with '\"'");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          AppendUtf8(out, CodePoint(escape_at));
          break;
        default:
          Fail(escape_at,
               std::string("unknown escape '\\") + e +
                   "' in a string; JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
      }
    }
  }

  // After "\u": four hex digits, and a second "\uXXXX" for a surrogate pair.
  std::uint32_t CodePoint(TextPosition at) {
    std::uint32_t cp = Hex4(at);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") Fail(at, "a \\u escape of half a surrogate pair");
      pos_ += 2;
      const std::uint32_t low = Hex4(at);
      if (low < 0xDC00 || low > 0xDFFF) Fail(at, "a \\u escape of half a surrogate pair");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      Fail(at, "a \\u escape of half a surrogate pair");
    }
    return cp;
  }

  std::uint32_t Hex4(TextPosition at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      const char c = pos_ < text_.size() ? text_[pos_] : '\0';
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        Fail(at, "a \\u escape needs four hex digits");
      }
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    return v;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?. An integer that fits 64
  // bits is one; any other number is a double, and a double with no fraction
  // the integer it equals while exact (JSON Schema's view, as in the YAML
  // reader), so that `1825.0` passes `type: integer`.
  json::value ParseNumber(TextPosition at) {
    const std::size_t start = pos_;
    auto digits = [&] {
      std::size_t n = 0;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_, ++n;
      return n;
    };
    if (Peek() == '-') ++pos_;
    const std::size_t int_start = pos_;
    if (digits() == 0) Fail(at, "a number needs a digit after '-'");
    if (text_[int_start] == '0' && pos_ - int_start > 1) {
      Fail(at, "a number in JSON has no leading zero");
    }
    bool integral = true;
    if (Peek() == '.') {
      ++pos_;
      integral = false;
      if (digits() == 0) Fail(at, "a number needs a digit after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      integral = false;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (digits() == 0) Fail(at, "a number needs a digit in its exponent");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      std::int64_t v = 0;
      if (auto [end, ec] = std::from_chars(first, last, v); ec == std::errc() && end == last) {
        return json::value(v, storage_);
      }
    }
    double d = 0;
    std::from_chars(first, last, d);  // out of range: ±HUGE_VAL or 0, still a number
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0) {
      return json::value(static_cast<std::int64_t>(d), storage_);
    }
    return json::value(d, storage_);
  }

  json::value Word(std::string_view word, json::value value, TextPosition at) {
    if (text_.substr(pos_, word.size()) != word) {
      Fail(at, "a value was expected here; text goes in double quotes (\"...\")");
    }
    pos_ += word.size();
    return value;
  }

  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        line_start_ = column_offset_ = pos_ + 1;
        column_ = 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      ++pos_;
    }
  }

  // Where pos_ is. Columns count characters, as an editor shows them.
  TextPosition Here() {
    for (std::size_t i = column_offset_; i < pos_; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column_;
    }
    column_offset_ = pos_;
    return {line_, column_};
  }

  [[noreturn]] void Fail(TextPosition at, std::string message) {
    Report(at, std::move(message));
    throw SyntaxError{};
  }

  void Report(TextPosition at, std::string message) {
    out_.push_back({doc_.file, at.line, at.column, std::move(message)});
  }

  static std::string Shorten(const std::string& s) {
    return s.size() <= 60 ? s : s.substr(0, 57) + "...";
  }

  std::string_view text_;
  YamlDocument& doc_;
  Diagnostics& out_;
  // Every value of the document from one arena, freed at once with it: a
  // 100,000-camera fleet has 1.5 million values.
  json::storage_ptr storage_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t column_offset_ = 0;  // column_ is the column of this offset
  int column_ = 1;
  // The child nodes of the open collections, innermost last.
  std::vector<Node> pending_;
  // The members read so far of the open objects, innermost last.
  struct Member {
    std::string key;
    json::value value;
    Node node = 0;
    TextPosition key_at;
  };
  std::vector<Member> members_;
};

}  // namespace

std::optional<YamlDocument> ParseJsonDocument(std::string_view text, const std::string& file,
                                              Diagnostics& out) {
  if (const std::size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    // Lines and columns up to the bad byte, which is itself never counted.
    int line = 1, column = 1;
    const std::size_t from = text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
    for (std::size_t i = from; i < bad; ++i) {
      if (text[i] == '\n') {
        ++line, column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    out.push_back(
        {file, line, column,
         std::string("the file is not valid UTF-8 (byte ") + hex + " here); save it as UTF-8"});
    return std::nullopt;
  }
  // Every value of the document from one arena, the root's too.
  json::storage_ptr storage = json::make_shared_resource<json::monotonic_resource>();
  YamlDocument doc{file, json::value(storage), LocationIndex()};
  // About one value per 21 bytes in generated JSON fleets (1.45 million in
  // 30 MB); growing the index by doubling would briefly hold it twice.
  doc.locations.Reserve(text.size() / 18);
  JsonScanner scanner(text, doc, storage, out);
  if (!scanner.Parse()) return std::nullopt;
  return doc;
}

bool IsJsonFileName(std::string_view file) {
  constexpr std::string_view kExt = ".json";
  if (file.size() < kExt.size()) return false;
  const std::string_view ext = file.substr(file.size() - kExt.size());
  for (std::size_t i = 0; i < kExt.size(); ++i) {
    const char c = ext[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kExt[i]) return false;
  }
  return true;
}

std::optional<YamlDocument> ParseDocument(std::string_view text, const std::string& file,
                                          Diagnostics& out) {
  return IsJsonFileName(file) ? ParseJsonDocument(text, file, out)
                              : ParseYamlDocument(text, file, out);
}

}  // namespace licmove
