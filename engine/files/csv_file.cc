#include "files/csv_file.h"

#include <cstddef>

namespace licmove {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The length of the UTF-8 sequence at text[i], or 0 when it is not one
// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t Utf8Length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) low = 0xA0;
    if (b == 0xED) high = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) low = 0x90;
    if (b == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& file, Diagnostics& out)
      : text_(text), file_(file), out_(out) {}

  std::vector<CsvRecord> Read() {
    std::vector<CsvRecord> records;
    if (text_.substr(0, kBom.size()) == kBom) i_ = kBom.size();
    if (!CheckUtf8()) return records;
    while (i_ < text_.size()) {
      CsvRecord record;
      while (true) {
        CsvField field;
        field.where = Here();
        if (Peek() == '"') {
          if (!Quoted(field)) return records;
        } else {
          Unquoted(field);
        }
        record.push_back(std::move(field));
        if (Peek() != ',') break;
        Step();
      }
      EndOfLine();
      records.push_back(std::move(record));
    }
    return records;
  }

 private:
  static constexpr int kEnd = -1;

  TextPosition Here() const { return {line_, column_}; }
  int Peek(std::size_t ahead = 0) const {
    return i_ + ahead < text_.size() ? static_cast<unsigned char>(text_[i_ + ahead]) : kEnd;
  }
  bool AtLineEnd() const { return Peek() == '\r' || Peek() == '\n' || Peek() == kEnd; }

  // Moves past one byte, keeping line and column. A CR that a LF follows
  // leaves the line break to the LF.
  void Step() {
    const unsigned char c = static_cast<unsigned char>(text_[i_++]);
    if (c == '\n' || (c == '\r' && Peek() != '\n')) {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80 && c != '\r') {
      ++column_;
    }
  }

  void EndOfLine() {
    if (Peek() == '\r') Step();
    if (Peek() == '\n') Step();
  }

  void Report(TextPosition at, std::string message) {
    out_.push_back({file_, at.line, at.column, std::move(message)});
  }

  // False after an unterminated quote: the rest of the text is one field.
  bool Quoted(CsvField& field) {
    Step();  // the opening quote
    while (true) {
      if (Peek() == kEnd) {
        Report(field.where,
               "this quoted field has no closing quote: everything after it would be one field; "
               "close it with \" (a quote inside a field is written twice: \"\")");
        return false;
      }
      if (Peek() == '"') {
        if (Peek(1) != '"') break;
        Step();
      }
      field.text += text_[i_];
      Step();
    }
    Step();  // the closing quote
    if (Peek() != ',' && !AtLineEnd()) {
      Report(Here(),
             "text after the closing quote of a field; quote the whole field and write a quote "
             "inside it twice (\"\")");
      while (Peek() != ',' && !AtLineEnd()) {
        field.text += text_[i_];
        Step();
      }
    }
    return true;
  }

  void Unquoted(CsvField& field) {
    bool reported = false;
    while (Peek() != ',' && !AtLineEnd()) {
      if (Peek() == '"' && !reported) {
        Report(Here(),
               "a quote inside a field that does not start with one; quote the whole field and "
               "write the quote twice (\"\")");
        reported = true;
      }
      field.text += text_[i_];
      Step();
    }
  }

  // Reports the first byte that is not UTF-8, leaving the position at the start.
  bool CheckUtf8() {
    const std::size_t start = i_;
    while (i_ < text_.size()) {
      const std::size_t n = Utf8Length(text_, i_);
      if (n == 0) {
        Report(Here(),
               "the file is not UTF-8 text; save it as \"CSV UTF-8\" (another encoding would "
               "change serials and keys)");
        return false;
      }
      for (std::size_t k = 0; k < n; ++k) Step();
    }
    i_ = start;
    line_ = 1;
    column_ = 1;
    return true;
  }

  std::string_view text_;
  const std::string& file_;
  Diagnostics& out_;
  std::size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
};

bool NeedsQuotes(std::string_view field) {
  return field.find_first_of(",\"\r\n") != std::string_view::npos;
}

}  // namespace

std::vector<CsvRecord> ParseCsv(std::string_view text, const std::string& file, Diagnostics& out) {
  return CsvReader(text, file, out).Read();
}

std::string WriteCsv(const std::vector<std::vector<std::string>>& rows, std::string_view line_end) {
  std::string out;
  for (const std::vector<std::string>& row : rows) {
    for (std::size_t f = 0; f < row.size(); ++f) {
      const std::string& field = row[f];
      if (f > 0) out += ',';
      const bool quote = NeedsQuotes(field) || (row.size() == 1 && field.empty()) ||
                         (out.empty() && field.substr(0, kBom.size()) == kBom);
      if (!quote) {
        out += field;
        continue;
      }
      out += '"';
      for (char c : field) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += line_end;
  }
  return out;
}

}  // namespace licmove
