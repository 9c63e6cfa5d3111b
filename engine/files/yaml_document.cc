#include "files/yaml_document.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <istream>
#include <streambuf>
#include <unordered_map>
#include <vector>

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/emitterstyle.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>
#include <boost/json.hpp>

#include "model/utf8.h"

namespace licmove {
namespace {

// Deeper than any licmove file needs, shallow enough that recursive walks
// (ours, the validator's) stay far from the stack limit.
constexpr int kMaxDepth = 64;
// A scalar longer than this is no serial, key or name; refusing it keeps
// regular expressions (std::regex recurses per character) away from it.
constexpr std::size_t kMaxScalarBytes = 1000;
// An alias copies the value it names, so a small file can describe a huge
// one. A document's expanded size counts every value: one byte each plus a
// text value's bytes, an alias as much as what it copies. It may reach twice
// the file's size plus this allowance. Written out without aliases no
// document comes near: every value but a left-out one takes a byte of text
// at least, and the densest form (`{a,b,...}`, one-letter keys whose values
// are left out) comes to about 1.5 bytes of values a byte. The allowance
// leaves room for anchors in a small plan.
constexpr std::size_t kExpansionFactor = 2;
constexpr std::size_t kExpansionAllowance = 256 * 1024;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Byte offsets to 1-based line and column. Columns count characters, as an
// editor shows them: a byte order mark is not one.
class LineTable {
 public:
  explicit LineTable(std::string_view text) : text_(text) {
    starts_.push_back(text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  // Columns are counted on from the previous answer when it is on the same
  // line and not after `offset`: the parser asks in text order, and
  // counting from the line's start each time made a document written on one
  // line (JSON is YAML) quadratic: 2 MB took over 13 minutes.
  TextPosition At(std::size_t offset) const {
    offset = std::clamp(offset, starts_[0], text_.size());
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(it - starts_.begin());
    std::size_t from = starts_[line - 1];
    int column = 1;
    if (last_.line == static_cast<int>(line) && last_offset_ <= offset) {
      from = last_offset_;
      column = last_.column;
    }
    for (std::size_t i = from; i < offset; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
    last_ = {static_cast<int>(line), column};
    last_offset_ = offset;
    return last_;
  }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
  mutable TextPosition last_;
  mutable std::size_t last_offset_ = 0;
};

// Reads `text` in place. yaml-cpp takes a std::istream; an istringstream
// would hold a copy of the whole file (26 MB for a 100,000-camera fleet)
// for as long as the parse runs.
class TextStreamBuf : public std::streambuf {
 public:
  explicit TextStreamBuf(std::string_view text) {
    // The get area is only read: putting back the character just read (as
    // yaml-cpp does after sniffing the encoding) moves the pointer back and
    // writes nothing; putting back another one fails.
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

// yaml-cpp's messages, in words an operator acts on.
std::string ExplainSyntaxError(const std::string& msg) {
  using namespace YAML::ErrorMsg;
  struct Known {
    const char* yaml;
    const char* plain;
  };
  static const Known kKnown[] = {
      {END_OF_MAP_FLOW, "a '{' is never closed with '}'"},
      {END_OF_SEQ_FLOW, "a '[' is never closed with ']'"},
      {END_OF_MAP, "the indentation does not line up with the mapping above"},
      {END_OF_SEQ, "the indentation does not line up with the list above"},
      {MAP_VALUE,
       "a 'key: value' is not allowed here; check the indentation, or quote a value that "
       "contains ': '"},
      {MAP_KEY, "a key is not allowed here; check the indentation"},
      {BLOCK_ENTRY, "a list item ('- ') is not allowed here; check the indentation"},
      {FLOW_END, "a closing ']' or '}' has no opening one"},
      {EOF_IN_SCALAR, "a quoted value is never closed"},
      {TAB_IN_INDENTATION, "tabs are not allowed in indentation; use spaces"},
      {UNKNOWN_ANCHOR, "this alias names an anchor ('&name') that is not defined before it"},
      {DOC_IN_SCALAR, "a document marker ('---' or '...') cuts a value short"},
      {UNKNOWN_TOKEN, "this character cannot start a value; quote the value"},
  };
  for (const Known& k : kKnown) {
    if (msg == k.yaml) return k.plain;
  }
  if (msg.rfind(INVALID_ESCAPE, 0) == 0) {
    return "unknown escape '\\" + msg.substr(std::string_view(INVALID_ESCAPE).size()) +
           "' in a double-quoted value; use single quotes to keep backslashes as they are";
  }
  return "YAML syntax error: " + msg;
}

bool IsNullScalar(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::optional<bool> BoolScalar(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

bool AllOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsOctal(char c) {
  return c >= '0' && c <= '7';
}
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// JSON Schema has one kind of number: 1825.0 is the integer 1825 (draft 7
// says so for `type: integer`, and `const: 1` matches 1.0), which is how a
// second validator reads the file too. So a float with no fraction is made
// the integer it equals, while it is exact: up to 2^53.
boost::json::value IntegralAsInteger(double v) {
  if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) <= 9007199254740992.0) {
    return static_cast<std::int64_t>(v);
  }
  return v;
}

// A plain scalar as the YAML 1.2 core schema types it.
boost::json::value PlainScalar(std::string_view s) {
  if (IsNullScalar(s)) return nullptr;
  if (auto b = BoolScalar(s)) return *b;
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  int base = 0;
  std::string_view body;
  if (AllOf(digits, IsDigit)) {
    base = 10, body = digits;
  } else if (s.size() > 2 && s.substr(0, 2) == "0o" && AllOf(s.substr(2), IsOctal)) {
    base = 8, body = s.substr(2);
  } else if (s.size() > 2 && s.substr(0, 2) == "0x" && AllOf(s.substr(2), IsHex)) {
    base = 16, body = s.substr(2);
  }
  if (base != 0) {
    std::uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), magnitude, base);
    if (ec == std::errc() && end == body.data() + body.size() &&
        magnitude <= static_cast<std::uint64_t>(INT64_MAX)) {
      const auto v = static_cast<std::int64_t>(magnitude);
      return negative ? -v : v;
    }
    // Too large for 64 bits: still a number, so that it fails as one
    // ("must be at most ...") rather than as text.
    if (base == 10) return std::strtod(std::string(s).c_str(), nullptr);
    return negative ? -HUGE_VAL : HUGE_VAL;
  }
  // Floats: [-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?, .inf, .nan.
  std::string_view f = s;
  if (!f.empty() && (f[0] == '-' || f[0] == '+')) f.remove_prefix(1);
  if (f == ".inf" || f == ".Inf" || f == ".INF") return s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::nan("");
  std::size_t i = 0, int_digits = 0, frac_digits = 0;
  while (i < f.size() && IsDigit(f[i])) ++i, ++int_digits;
  if (i < f.size() && f[i] == '.') {
    ++i;
    while (i < f.size() && IsDigit(f[i])) ++i, ++frac_digits;
  }
  bool is_float = int_digits + frac_digits > 0;
  if (is_float && i < f.size() && (f[i] == 'e' || f[i] == 'E')) {
    ++i;
    if (i < f.size() && (f[i] == '-' || f[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < f.size() && IsDigit(f[i])) ++i, ++exp_digits;
    is_float = exp_digits > 0;
  }
  if (is_float && i == f.size())
    return IntegralAsInteger(std::strtod(std::string(s).c_str(), nullptr));
  return boost::json::string(s);
}

// Builds the JSON value of a document from yaml-cpp's parse events and
// records where each value starts. Events rather than YAML::Load: no second
// tree in memory for a large fleet, and the parse loop stays ours (on a
// stray ',' at document level LoadAll never stops making empty documents).
class JsonBuilder : public YAML::EventHandler {
 public:
  JsonBuilder(std::string_view text, const LineTable& lines, YamlDocument& doc, Diagnostics& out)
      : text_(text),
        lines_(lines),
        doc_(doc),
        out_(out),
        max_expanded_(kExpansionFactor * text.size() + kExpansionAllowance),
        bom_(text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0) {}

  // Only the first document is built; later ones are only counted.
  void set_building(bool building) { building_ = building; }
  // Byte offset in the text of the last document's start.
  std::size_t document_start() const { return document_start_; }
  bool too_big() const { return too_big_; }
  bool too_deep() const { return too_deep_; }
  boost::json::value TakeRoot() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& mark) override { document_start_ = Offset(mark); }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!Building()) return;
    if (Expand(mark, 1)) Leaf(mark, nullptr, std::nullopt, anchor, 1, /*is_null=*/true);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!Building()) return;
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      // yaml-cpp registers a collection's anchor before its content.
      Report(lines_.At(Offset(mark)), "this alias ('*name') refers to the value that contains it");
      if (Expand(mark, 1)) Leaf(mark, nullptr, std::nullopt, 0, 1, false);
      return;
    }
    // Checked before the copy is made.
    if (!Expand(mark, it->second.expanded)) return;
    // An alias of a text value may serve as a key.
    std::optional<std::string> key_text;
    if (it->second.value.is_string()) key_text = std::string(it->second.value.get_string());
    Leaf(mark, it->second.value, key_text, 0, it->second.expanded, false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (!Building()) return;
    if (Expand(mark, 1 + value.size())) {
      Leaf(mark, Scalar(mark, tag, value), value, anchor, 1 + value.size(), false);
    }
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    if (Building()) Open(mark, boost::json::array(), anchor);
  }
  void OnSequenceEnd() override {
    if (Building()) Close();
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    if (Building()) Open(mark, boost::json::object(), anchor);
  }
  void OnMapEnd() override {
    if (Building()) Close();
  }

 private:
  // Where the next value goes: the root, a list entry, a mapping key or a
  // mapping value. `keep` is false inside keys and discarded values.
  struct Slot {
    bool is_key = false;
    bool keep = true;
    TextPosition key_at;
  };
  using Node = LocationIndex::Node;
  struct Frame {
    boost::json::value value;  // the array or object being filled
    Slot slot;                 // where it goes when complete
    TextPosition at;
    bool record = true;
    Node node = 0;  // its node in the index, when record
    // Its children's nodes so far are pending_[pending_start, end): entry i
    // is that of the i-th list entry or JSON object member.
    std::size_t pending_start = 0;
    YAML::anchor_t anchor = 0;
    std::size_t expanded_before = 0;
    // Mapping state: keys and values alternate.
    bool want_key = true;
    bool key_ok = false;
    std::string key;
    TextPosition key_at;
  };
  struct Anchored {
    boost::json::value value;
    std::size_t expanded = 1;  // its share of the expanded size
  };

  bool Building() const { return building_ && !too_big_; }

  // yaml-cpp counts positions after a byte order mark.
  std::size_t Offset(const YAML::Mark& mark) const {
    return (mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos)) + bom_;
  }

  Slot NextSlot() const {
    if (stack_.empty()) return {};
    const Frame& f = stack_.back();
    Slot slot;
    if (f.value.is_array()) {
      slot.keep = f.record;
    } else if (f.want_key) {
      slot.is_key = true;
      slot.keep = false;
    } else {
      slot.keep = f.record && f.key_ok;
      slot.key_at = f.key_at;
    }
    return slot;
  }

  // Adds `bytes` to the expanded size; false, having reported it, past the
  // bound. Called before the value is made.
  bool Expand(const YAML::Mark& mark, std::size_t bytes) {
    if (bytes > max_expanded_ - expanded_) {
      TooBig(mark);
      return false;
    }
    expanded_ += bytes;
    return true;
  }

  // `expanded`: the value's share of the expanded size, already counted.
  void Leaf(const YAML::Mark& mark, boost::json::value value, std::optional<std::string> key_text,
            YAML::anchor_t anchor, std::size_t expanded, bool is_null) {
    const Slot slot = NextSlot();
    const TextPosition at = Position(mark, slot.key_at, is_null, slot.is_key);
    Node node = 0;
    if (slot.keep) node = doc_.locations.Add(at, slot.key_at.line > 0 ? slot.key_at : at);
    if (anchor != 0) anchors_[anchor] = {value, expanded};
    Deliver(slot, node, std::move(value), at, key_text, /*collection=*/false);
  }

  void Open(const YAML::Mark& mark, boost::json::value collection, YAML::anchor_t anchor) {
    if (!Expand(mark, 1)) return;
    Slot slot = NextSlot();
    const TextPosition at = Position(mark, slot.key_at, false, slot.is_key);
    Frame frame;
    if (slot.keep) frame.node = doc_.locations.Add(at, slot.key_at.line > 0 ? slot.key_at : at);
    frame.record = slot.keep;
    if (stack_.size() >= static_cast<std::size_t>(kMaxDepth)) {
      if (!too_deep_) {
        Report(at, "values are nested more than " + std::to_string(kMaxDepth) +
                       " levels deep; no licmove file needs that");
      }
      too_deep_ = true;
      frame.record = false;
    }
    frame.value = std::move(collection);
    frame.slot = std::move(slot);
    frame.at = at;
    frame.anchor = anchor;
    frame.expanded_before = expanded_ - 1;
    frame.pending_start = pending_.size();
    stack_.push_back(std::move(frame));
  }

  void Close() {
    if (stack_.empty()) return;
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.record) {
      doc_.locations.SetChildren(f.node, pending_.data() + f.pending_start,
                                 pending_.size() - f.pending_start);
    }
    pending_.resize(f.pending_start);
    boost::json::value value = f.record ? std::move(f.value) : boost::json::value(nullptr);
    if (f.anchor != 0) anchors_[f.anchor] = {value, expanded_ - f.expanded_before};
    Deliver(f.slot, f.node, std::move(value), f.at, std::nullopt, /*collection=*/true);
  }

  // Puts a complete value where its slot says. `node` is its node in the
  // index; it becomes a child of the enclosing collection's node exactly when
  // the value becomes an entry or member of that collection's JSON value,
  // which keeps the index a mirror of the value.
  void Deliver(const Slot& slot, Node node, boost::json::value value, TextPosition at,
               const std::optional<std::string>& key_text, bool collection) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    Frame& f = stack_.back();
    if (f.value.is_array()) {
      if (f.record) {
        f.value.get_array().push_back(std::move(value));
        pending_.push_back(node);
      }
      return;
    }
    if (slot.is_key) {
      f.want_key = false;
      f.key_ok = false;
      if (!key_text) {
        if (f.record) {
          Report(at, collection || !value.is_null()
                         ? "a key must be a plain word, not a list or a mapping"
                         : "a key is missing before ':'");
        }
        return;
      }
      const boost::json::object& members = f.value.get_object();
      if (auto it = members.find(*key_text); f.record && it != members.end()) {
        const Node first_node = pending_[f.pending_start + (it - members.begin())];
        const TextPosition first = doc_.locations.KeyOf(first_node);
        Report(at, "key \"" + Shorten(*key_text) +
                       "\" appears twice in this mapping (first at line " +
                       std::to_string(first.line) + "); remove one");
        return;
      }
      f.key = *key_text;
      f.key_at = at;
      f.key_ok = true;
      return;
    }
    f.want_key = true;
    if (f.record && f.key_ok) {
      f.value.get_object().emplace(f.key, std::move(value));
      pending_.push_back(node);
    }
  }

  boost::json::value Scalar(const YAML::Mark& mark, const std::string& tag, const std::string& s) {
    const TextPosition at = lines_.At(Offset(mark));
    if (s.size() > kMaxScalarBytes) {
      Report(at, "this value is " + std::to_string(s.size()) +
                     " bytes long; licmove reads at most " + std::to_string(kMaxScalarBytes));
      return boost::json::string(std::string_view(s).substr(0, 64));
    }
    if (tag == "!" && !QuoteClosed(Offset(mark))) Report(at, "a quoted value is never closed");
    // "!" marks quoted and block scalars: always text.
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return boost::json::string(s);
    return PlainScalar(s);
  }

  // yaml-cpp marks an empty value at the token after it; point at its key,
  // or for a list item at its "-", instead.
  TextPosition Position(const YAML::Mark& mark, TextPosition key_at, bool is_null, bool is_key) {
    std::size_t pos = std::min(Offset(mark), text_.size());
    const bool empty = is_null && !is_key && !StartsNullWord(pos);
    if (empty && key_at.line > 0) return key_at;
    if (empty) {
      // Back over blanks and line breaks to the "-" (or "[", ",") before it.
      while (pos > 0 && (text_[pos - 1] == ' ' || text_[pos - 1] == '\n' ||
                         text_[pos - 1] == '\r' || text_[pos - 1] == '\t')) {
        --pos;
      }
      if (pos > 0) --pos;
    }
    return lines_.At(pos);
  }

  // yaml-cpp accepts a quoted scalar that runs to the end of the text when
  // the text ends in a line break; a closing quote must exist.
  bool QuoteClosed(std::size_t start) const {
    if (start >= text_.size()) return true;
    const char quote = text_[start];
    if (quote != '"' && quote != '\'') return true;  // a block scalar
    for (std::size_t i = start + 1; i < text_.size(); ++i) {
      if (quote == '"' && text_[i] == '\\') {
        ++i;
      } else if (text_[i] == quote) {
        if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;  // '' is an escaped quote
        } else {
          return true;
        }
      }
    }
    return false;
  }

  bool StartsNullWord(std::size_t pos) const {
    for (std::string_view w : {"~", "null", "Null", "NULL"}) {
      if (text_.substr(pos, w.size()) == w) return true;
    }
    return false;
  }

  void TooBig(const YAML::Mark& mark) {
    if (!too_big_) {
      Report(lines_.At(Offset(mark)),
             "aliases ('*name') expand this document beyond twice its own size plus " +
                 std::to_string(kExpansionAllowance / 1024) + " KiB (" +
                 std::to_string(max_expanded_) + " bytes); write the values out instead");
    }
    too_big_ = true;
  }

  static std::string Shorten(const std::string& s) {
    return s.size() <= 60 ? s : s.substr(0, 57) + "...";
  }

  void Report(TextPosition at, std::string message) {
    out_.push_back({doc_.file, at.line, at.column, std::move(message)});
  }

  std::string_view text_;
  const LineTable& lines_;
  YamlDocument& doc_;
  Diagnostics& out_;
  const std::size_t max_expanded_;
  const std::size_t bom_;
  bool building_ = true;
  std::size_t document_start_ = 0;
  std::vector<Frame> stack_;
  // The child nodes of the open collections, innermost last; see Frame.
  std::vector<Node> pending_;
  boost::json::value root_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  std::size_t expanded_ = 0;  // see kExpansionFactor
  bool too_big_ = false;
  bool too_deep_ = false;
};

}  // namespace

std::string PointerChild(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out.reserve(parent.size() + key.size() + 1);
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string PointerChild(std::string_view parent, std::size_t index) {
  std::string out(parent);
  out += '/';
  out += std::to_string(index);
  return out;
}

LocationIndex::Node LocationIndex::Add(TextPosition value, TextPosition key) {
  entries_.push_back({value, key, 0, 0});
  return static_cast<Node>(entries_.size() - 1);
}

void LocationIndex::SetChildren(Node parent, const Node* first, std::size_t count) {
  entries_[parent].first_child = static_cast<std::uint32_t>(children_.size());
  entries_[parent].child_count = static_cast<std::uint32_t>(count);
  children_.insert(children_.end(), first, first + count);
}

namespace {

// A list index as PointerChild writes it: digits, no leading zero. Any other
// spelling names no entry.
std::optional<std::size_t> CanonicalIndex(std::string_view segment) {
  if (segment.empty() || !AllOf(segment, IsDigit)) return std::nullopt;
  if (segment.size() > 1 && segment[0] == '0') return std::nullopt;
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
  if (ec != std::errc() || end != segment.data() + segment.size()) return std::nullopt;
  return index;
}

// The key a pointer segment names ("~0" is '~', "~1" is '/'); false for a
// '~' that starts neither, which PointerChild never writes.
bool UnescapeSegment(std::string_view segment, std::string& key) {
  key.clear();
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '~') {
      key += segment[i];
    } else if (i + 1 < segment.size() && (segment[i + 1] == '0' || segment[i + 1] == '1')) {
      key += segment[++i] == '0' ? '~' : '/';
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

const LocationIndex::Entry* LocationIndex::Find(const boost::json::value& root,
                                                std::string_view pointer) const {
  if (entries_.empty()) return nullptr;
  const Entry* entry = &entries_[0];
  const boost::json::value* value = &root;
  std::string key;
  // Each step goes to child i of the node and to entry or member i of the
  // value; it stops, answering the node reached, where the index has no
  // child i (a value inside an alias has no nodes of its own).
  while (!pointer.empty() && pointer[0] == '/') {
    pointer.remove_prefix(1);
    const std::size_t end = std::min(pointer.find('/'), pointer.size());
    const std::string_view segment = pointer.substr(0, end);
    pointer.remove_prefix(end);
    std::size_t i = 0;
    if (const boost::json::array* list = value->if_array()) {
      const std::optional<std::size_t> index = CanonicalIndex(segment);
      if (!index || *index >= list->size()) return entry;
      i = *index;
      value = &(*list)[i];
    } else if (const boost::json::object* members = value->if_object()) {
      if (!UnescapeSegment(segment, key)) return entry;
      const auto it = members->find(key);
      if (it == members->end()) return entry;
      i = static_cast<std::size_t>(it - members->begin());
      value = &it->value();
    } else {
      return entry;
    }
    if (i >= entry->child_count) return entry;
    entry = &entries_[children_[entry->first_child + i]];
  }
  return entry;
}

TextPosition LocationIndex::ValueAt(const boost::json::value& root,
                                    std::string_view pointer) const {
  const Entry* e = Find(root, pointer);
  return e ? e->value : TextPosition{};
}

TextPosition LocationIndex::KeyAt(const boost::json::value& root, std::string_view pointer) const {
  const Entry* e = Find(root, pointer);
  return e ? e->key : TextPosition{};
}

Diagnostic YamlDocument::At(std::string_view pointer, std::string message) const {
  const TextPosition p = ValueAt(pointer);
  return {file, p.line, p.column, std::move(message)};
}

Diagnostic YamlDocument::AtKey(std::string_view pointer, std::string message) const {
  const TextPosition p = KeyAt(pointer);
  return {file, p.line, p.column, std::move(message)};
}

std::optional<YamlDocument> ParseYamlDocument(std::string_view text, const std::string& file,
                                              Diagnostics& out) {
  const LineTable lines(text);
  if (const std::size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    const TextPosition p = lines.At(bad);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    out.push_back(
        {file, p.line, p.column,
         std::string("the file is not valid UTF-8 (byte ") + hex + " here); save it as UTF-8"});
    return std::nullopt;
  }
  YamlDocument doc;
  doc.file = file;
  // About one value per 18 bytes in generated fleet files (1.45 million in
  // 26.5 MB); growing the index by doubling would briefly hold it twice.
  doc.locations.Reserve(text.size() / 16);
  JsonBuilder builder(text, lines, doc, out);
  try {
    TextStreamBuf buffer(text);
    std::istream in(&buffer);
    YAML::Parser parser(in);
    std::size_t documents = 0;
    std::optional<std::size_t> previous_start;
    TextPosition second_at;
    // The bound only guards against a parser that stops advancing in a way
    // the check below does not catch.
    while (documents < 100000) {
      builder.set_building(documents == 0);
      if (!parser.HandleNextDocument(builder)) break;
      const std::size_t start = builder.document_start();
      if (start == previous_start) {
        // yaml-cpp made a document without consuming anything: a token it
        // cannot place, such as ',' outside [ ] and { }.
        const TextPosition p = lines.At(start);
        const char c = start < text.size() ? text[start] : '?';
        out.push_back(
            {file, p.line, p.column,
             std::string("'") + c + "' cannot start a value here; quote the value if it is text"});
        return std::nullopt;
      }
      previous_start = start;
      if (++documents == 2) second_at = lines.At(start);
    }
    if (documents == 0) {
      out.push_back({file, 0, 0, "the file is empty"});
      return std::nullopt;
    }
    if (builder.too_big()) return std::nullopt;
    if (documents > 1) {
      out.push_back({file, second_at.line, second_at.column,
                     "the file holds " + std::to_string(documents) +
                         " YAML documents (separated by '---'); licmove reads one a file"});
    }
    doc.root = builder.TakeRoot();
    if (doc.root.is_null()) {
      out.push_back({file, 0, 0, "the file holds no values, only comments or an empty document"});
      return std::nullopt;
    }
    return doc;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops at a depth of its own, far beyond ours.
    if (!builder.too_deep()) {
      out.push_back({file, e.mark.line + 1, e.mark.column + 1,
                     "values are nested more than " + std::to_string(kMaxDepth) +
                         " levels deep; no licmove file needs that"});
    }
  } catch (const YAML::Exception& e) {
    const TextPosition p = e.mark.is_null() || e.mark.line < 0
                               ? TextPosition{0, 0}
                               : TextPosition{e.mark.line + 1, e.mark.column + 1};
    out.push_back({file, p.line, p.column, ExplainSyntaxError(e.msg)});
  } catch (const std::exception& e) {
    out.push_back({file, 0, 0, std::string("cannot read the YAML: ") + e.what()});
  }
  return std::nullopt;
}

}  // namespace licmove
