// A plan's moves from a CSV file (`moves_csv`): the header names the
// columns, each later row is one move. The rows become a document shaped like
// a plan so that the plan schema words a bad serial or service exactly as it
// does in YAML, at the cell.
#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "files/csv_file.h"
#include "files/document_checks.h"
#include "files/json_fields.h"
#include "files/schema_check.h"
#include "files/text_file.h"

namespace licmove {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 5> kColumns = {"from", "to", "service", "key", "auto_renew"};

std::string ColumnList() {
  std::string out;
  for (std::string_view c : kColumns) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

// "true"/"false" in any case: spreadsheets write TRUE and FALSE.
std::optional<bool> ParseBool(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

bool Blank(const CsvRecord& record) {
  return std::all_of(record.begin(), record.end(),
                     [](const CsvField& f) { return f.text.empty(); });
}

class MovesCsv {
 public:
  MovesCsv(std::string_view text, const std::string& file, Diagnostics& out)
      : text_(text), file_(file), out_(out) {}

  YamlDocument Read() {
    YamlDocument doc;
    doc.file = file_;
    const std::size_t problems_before = out_.size();
    const std::vector<CsvRecord> records = ParseCsv(text_, file_, out_);
    auto header = std::find_if_not(records.begin(), records.end(), Blank);
    json::array moves;
    std::vector<RowIndex> rows;
    if (header == records.end()) {
      if (out_.size() == problems_before) {  // not an unreadable file
        Report({}, "the file has no rows; its first row names the columns (" + ColumnList() +
                       "), each later row is one move");
      }
    } else if (Header(*header)) {
      for (auto r = header + 1; r != records.end(); ++r) {
        if (Blank(*r)) continue;
        if (r->size() != columns_.size()) {
          const bool more = r->size() > columns_.size();
          Report(more ? (*r)[columns_.size()].where : r->back().where,
                 "this row has " + std::to_string(r->size()) + " fields, the header has " +
                     std::to_string(columns_.size()) +
                     (more ? "; a cell with a comma in it must be quoted"
                           : "; an empty cell still needs its comma"));
          continue;
        }
        Row(*r, moves, rows);
      }
    }
    Build(doc, std::move(moves), rows);
    return doc;
  }

 private:
  struct RowIndex {
    TextPosition where;
    std::vector<std::pair<TextPosition, TextPosition>> members;  // value, key
  };

  void Report(TextPosition at, std::string message) {
    out_.push_back({file_, at.line, at.column, std::move(message)});
  }

  // Sets columns_ (the known column of each field, or -1). False when a
  // required column is missing: then no row can be read.
  bool Header(const CsvRecord& header) {
    std::array<const CsvField*, kColumns.size()> seen{};
    for (const CsvField& f : header) {
      auto known = std::find(kColumns.begin(), kColumns.end(), f.text);
      if (known == kColumns.end()) {
        columns_.push_back(-1);
        UnknownColumn(f);
        continue;
      }
      const std::size_t c = known - kColumns.begin();
      if (seen[c]) {
        Report(f.where, "column \"" + f.text + "\" is named twice in the header (also at column " +
                            std::to_string(seen[c]->where.column) + ")");
        columns_.push_back(-1);
        continue;
      }
      seen[c] = &f;
      columns_.push_back(static_cast<int>(c));
    }
    header_where_.assign(header.size(), {});
    for (std::size_t i = 0; i < header.size(); ++i) header_where_[i] = header[i].where;
    bool ok = true;
    for (std::size_t c = 0; c < 2; ++c) {
      if (seen[c]) continue;
      Report(header.front().where,
             "the header has no \"" + std::string(kColumns[c]) +
                 "\" column; a moves CSV needs from and to (columns: " + ColumnList() + ")");
      ok = false;
    }
    return ok;
  }

  void UnknownColumn(const CsvField& f) {
    if (f.text.empty()) {
      Report(f.where, "a column without a name in the header; the columns are " + ColumnList());
      return;
    }
    std::string best;
    std::size_t best_distance = 3;  // suggest only close misspellings
    for (std::string_view c : kColumns) {
      const std::size_t d = static_cast<std::size_t>(EditDistance(f.text, c));
      if (d < best_distance) best = c, best_distance = d;
    }
    Report(f.where, "unknown column \"" + f.text + "\"" +
                        (best.empty() ? "; the columns are " + ColumnList()
                                      : "; did you mean \"" + best + "\"?"));
  }

  void Row(const CsvRecord& record, json::array& moves, std::vector<RowIndex>& rows) {
    json::object move;
    RowIndex index{record.front().where, {}};
    for (std::size_t i = 0; i < record.size(); ++i) {
      const CsvField& cell = record[i];
      if (columns_[i] < 0 || cell.text.empty()) continue;
      const std::string_view column = kColumns[columns_[i]];
      if (column == "auto_renew") {
        const std::optional<bool> value = ParseBool(cell.text);
        if (!value) {
          Report(cell.where, "auto_renew \"" + cell.text +
                                 "\" must be true or false, or empty to keep the source's "
                                 "setting");
          continue;
        }
        move[column] = *value;
      } else {
        move[column] = cell.text;
      }
      index.members.push_back({cell.where, header_where_[i]});
    }
    moves.emplace_back(std::move(move));
    rows.push_back(std::move(index));
  }

  // The plan-shaped root and its positions: version and account at the top
  // of the file, each move at its row, each member at its cell (key: the
  // header cell).
  void Build(YamlDocument& doc, json::array moves, const std::vector<RowIndex>& rows) {
    const TextPosition top{1, 1};
    LocationIndex& at = doc.locations;
    const LocationIndex::Node root = at.Add(top, {});
    const LocationIndex::Node version = at.Add(top, top);
    const LocationIndex::Node account = at.Add(top, top);
    const LocationIndex::Node list = at.Add(top, top);
    std::vector<LocationIndex::Node> items;
    for (const RowIndex& row : rows) {
      const LocationIndex::Node item = at.Add(row.where, {});
      items.push_back(item);
      std::vector<LocationIndex::Node> members;
      for (const auto& [value, key] : row.members) members.push_back(at.Add(value, key));
      at.SetChildren(item, members.data(), members.size());
    }
    at.SetChildren(list, items.data(), items.size());
    const LocationIndex::Node top_members[] = {version, account, list};
    at.SetChildren(root, top_members, 3);
    json::object object;
    object["version"] = kPlanFormatVersion;
    object["account"] = "csv";
    object["moves"] = std::move(moves);
    doc.root = std::move(object);
  }

  std::string_view text_;
  const std::string& file_;
  Diagnostics& out_;
  std::vector<int> columns_;  // per header field: its index in kColumns, or -1
  std::vector<TextPosition> header_where_;
};

}  // namespace

std::string MovesCsvPath(const std::string& plan_file, const std::string& moves_csv) {
  const std::filesystem::path csv(moves_csv);
  if (csv.is_absolute()) return moves_csv;
  return (std::filesystem::path(plan_file).parent_path() / csv).string();
}

YamlDocument MovesCsvDocument(std::string_view text, const std::string& file, Diagnostics& out) {
  return MovesCsv(text, file, out).Read();
}

std::optional<YamlDocument> ReadMovesCsv(const YamlDocument& plan, Diagnostics& out) {
  const std::string name = fields::Text(plan.root, "moves_csv");
  if (name.empty()) return std::nullopt;  // not there, or already reported by the schema
  const std::string path = MovesCsvPath(plan.file, name);
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) {
    // "PATH: cannot read: REASON"
    out.push_back(plan.At("/moves_csv", "moves_csv " + text.status().message()));
    return std::nullopt;
  }
  Diagnostics found;
  YamlDocument doc = MovesCsvDocument(*text, path, found);
  // The schema, on the rows that were read: serials, services and keys are
  // worded as in YAML, at their cells.
  CheckVersionAndSchema(doc, FileKind::kPlan, found);
  out.insert(out.end(), found.begin(), found.end());
  return doc;
}

}  // namespace licmove
