#include "files/validate.h"

#include <exception>
#include <span>
#include <vector>

#include <boost/json.hpp>

#include "files/document_checks.h"
#include "files/json_document.h"
#include "files/text_file.h"
#include "files/yaml_document.h"

namespace licmove {
namespace {

constexpr std::string_view kFleetKeys[] = {"accounts", "now", "users", "registry"};
constexpr std::string_view kPlanKeys[] = {"moves", "moves_csv", "assign", "account", "options"};

std::vector<std::string> KeysPresent(const boost::json::object& root,
                                     std::span<const std::string_view> keys) {
  std::vector<std::string> found;
  for (std::string_view k : keys) {
    if (root.contains(k)) found.emplace_back(k);
  }
  return found;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// Why the kind cannot be told, for the one diagnostic that says so.
std::string UnknownKindReason(const YamlDocument& doc) {
  const boost::json::object* root = doc.root.if_object();
  if (!root) {
    return "this is neither a plan nor a fleet file: both are a mapping of keys (key: value "
           "lines) at the top";
  }
  const std::vector<std::string> fleet = KeysPresent(*root, kFleetKeys);
  const std::vector<std::string> plan = KeysPresent(*root, kPlanKeys);
  if (!fleet.empty() && !plan.empty()) {
    return "cannot tell whether this is a plan or a fleet file: it has plan keys (" + Join(plan) +
           ") and fleet keys (" + Join(fleet) + "); split it into two files";
  }
  return "cannot tell whether this is a plan or a fleet file: a plan has moves or assign at the "
         "top, a fleet file has accounts and now";
}

}  // namespace

FileKind DetectFileKind(const YamlDocument& doc) {
  const boost::json::object* root = doc.root.if_object();
  if (!root) return FileKind::kUnknown;
  const bool fleet = !KeysPresent(*root, kFleetKeys).empty();
  const bool plan = !KeysPresent(*root, kPlanKeys).empty();
  if (fleet == plan) return FileKind::kUnknown;
  return fleet ? FileKind::kFleet : FileKind::kPlan;
}

FileCheck CheckText(std::string_view text, const std::string& file) {
  FileCheck check;
  try {
    std::optional<YamlDocument> doc = ParseDocument(text, file, check.diagnostics);
    if (doc) {
      check.kind = DetectFileKind(*doc);
      if (check.kind == FileKind::kPlan) {
        Plan plan = CheckPlanDocument(*doc, check.diagnostics);
        if (check.diagnostics.empty()) check.plan = std::move(plan);
      } else if (check.kind == FileKind::kFleet) {
        Fleet fleet = CheckFleetDocument(*doc, check.diagnostics);
        if (check.diagnostics.empty()) check.fleet = std::move(fleet);
      } else {
        const TextPosition at = doc->root.is_object() ? TextPosition{} : doc->ValueAt("");
        check.diagnostics.push_back({file, at.line, at.column, UnknownKindReason(*doc)});
      }
    }
  } catch (const std::exception& e) {
    // Only allocation failure gets here; the checks themselves do not throw.
    check.diagnostics.push_back({file, 0, 0, std::string("cannot check the file: ") + e.what()});
  }
  SortDiagnostics(check.diagnostics);
  return check;
}

FileCheck CheckFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) {
    FileCheck check;
    // The message starts with the path already; a Diagnostic adds it again.
    std::string message = text.status().message();
    if (message.rfind(path + ": ", 0) == 0) message.erase(0, path.size() + 2);
    check.diagnostics.push_back({path, 0, 0, std::move(message)});
    return check;
  }
  return CheckText(*text, path);
}

Diagnostics ValidateFile(const std::string& path) {
  return CheckFile(path).diagnostics;
}

}  // namespace licmove
