// CSV text as RFC 4180 defines it and spreadsheets write it: fields
// separated by commas, records by CRLF or LF (a lone CR too), a field in
// double quotes may hold commas, line breaks and doubled quotes (""), a UTF-8
// byte order mark at the start is skipped, and a line break at the very end
// ends the last record rather than starting an empty one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "files/diagnostic.h"

namespace licmove {

struct CsvField {
  std::string text;    // quotes removed, "" turned into "
  TextPosition where;  // where the field starts (its opening quote, if quoted)
};
using CsvRecord = std::vector<CsvField>;  // never empty: a blank line is one empty field

// Every record of `text`. Columns count characters (UTF-8 code points), not
// bytes. Appends each problem as "file:line:col: message" to `out`: a quote
// inside an unquoted field, text after a closing quote, an unterminated
// quote (nothing after it is read), text that is not UTF-8 (nothing is
// read). Never throws but for allocation failure.
std::vector<CsvRecord> ParseCsv(std::string_view text, const std::string& file, Diagnostics& out);

// `rows` as RFC 4180 text that ParseCsv reads back as the same rows: a field
// is quoted when it holds a comma, a quote, CR or LF, when it is a row's only
// field and empty, or when it starts the text with a byte order mark.
// `line_end` ("\r\n" or "\n") follows every record. REQUIRES: no row is empty.
std::string WriteCsv(const std::vector<std::vector<std::string>>& rows,
                     std::string_view line_end = "\r\n");

}  // namespace licmove
