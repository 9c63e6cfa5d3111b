#include "files/plan_file.h"

#include <exception>
#include <optional>

#include <boost/json.hpp>

#include "files/document_checks.h"
#include "files/json_fields.h"
#include "files/schema_check.h"
#include "files/text_file.h"
#include "files/yaml_document.h"

namespace licmove {
namespace {

namespace json = boost::json;

MoveIntent DecodeMove(const YamlDocument& doc, const json::value& v, const std::string& at) {
  MoveIntent m;
  m.from = fields::Text(v, "from");
  m.to = fields::Text(v, "to");
  m.service = fields::OptionalText(v, "service");
  m.key = fields::OptionalText(v, "key");
  m.auto_renew = fields::Bool(v, "auto_renew");
  m.release_destination = fields::Bool(v, "release_destination");
  m.where = doc.ValueAt(at);
  m.from_where = doc.ValueAt(at + "/from");
  m.to_where = doc.ValueAt(at + "/to");
  if (m.key) m.key_where = doc.ValueAt(at + "/key");
  return m;
}

AssignIntent DecodeAssign(const YamlDocument& doc, const json::value& v, const std::string& at) {
  AssignIntent a;
  if (const json::array* cameras = fields::List(v, "cameras")) {
    for (std::size_t i = 0; i < cameras->size(); ++i) {
      const json::value& c = (*cameras)[i];
      a.cameras.push_back(c.is_string() ? std::string(c.get_string()) : "");
      a.camera_where.push_back(doc.ValueAt(PointerChild(at + "/cameras", i)));
    }
  }
  a.service = fields::Text(v, "service");
  // An unknown term is reported by the schema (its enum); keep the default.
  if (auto term = TermChoiceFromName(fields::Text(v, "term"))) a.term = *term;
  a.auto_renew = fields::Bool(v, "auto_renew");
  a.where = doc.ValueAt(at);
  return a;
}

}  // namespace

Plan CheckPlanDocument(const YamlDocument& doc, Diagnostics& out) {
  Plan plan;
  plan.file = doc.file;
  if (!CheckVersionAndSchema(doc, FileKind::kPlan, out)) return plan;
  const json::value& root = doc.root;
  plan.version = kPlanFormatVersion;
  plan.account = fields::Text(root, "account");
  plan.account_where = doc.ValueAt("/account");
  if (const json::array* moves = fields::List(root, "moves")) {
    plan.moves.reserve(moves->size());
    for (std::size_t i = 0; i < moves->size(); ++i) {
      plan.moves.push_back(DecodeMove(doc, (*moves)[i], PointerChild("/moves", i)));
    }
  }
  // The CSV's moves come after the YAML's: the order the plan states them in.
  std::optional<YamlDocument> csv = ReadMovesCsv(doc, out);
  if (csv) {
    const json::array* moves = fields::List(csv->root, "moves");
    for (std::size_t i = 0; moves && i < moves->size(); ++i) {
      plan.moves.push_back(DecodeMove(*csv, (*moves)[i], PointerChild("/moves", i)));
      plan.moves.back().file = csv->file;
    }
  }
  if (const json::array* assigns = fields::List(root, "assign")) {
    plan.assigns.reserve(assigns->size());
    for (std::size_t i = 0; i < assigns->size(); ++i) {
      plan.assigns.push_back(DecodeAssign(doc, (*assigns)[i], PointerChild("/assign", i)));
    }
  }
  if (const json::value* options = fields::Get(root, "options")) {
    plan.options.restore_sources =
        fields::Bool(*options, "restore_sources").value_or(plan.options.restore_sources);
    plan.options.release_destinations =
        fields::Bool(*options, "release_destinations").value_or(plan.options.release_destinations);
  }
  CheckPlanRules(plan, doc, csv ? &*csv : nullptr, out);
  return plan;
}

Result<Plan> ParsePlan(std::string_view text, const std::string& file) {
  try {
    Diagnostics out;
    std::optional<YamlDocument> doc = ParseYamlDocument(text, file, out);
    if (!doc) return DiagnosticsStatus(std::move(out));
    Plan plan = CheckPlanDocument(*doc, out);
    if (!out.empty()) return DiagnosticsStatus(std::move(out));
    return plan;
  } catch (const std::exception& e) {
    // Only allocation failure gets here; the checks themselves do not throw.
    return Status::InvalidArgument(file + ": cannot check the file: " + e.what());
  }
}

Result<Plan> LoadPlanFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParsePlan(*text, path);
}

}  // namespace licmove
