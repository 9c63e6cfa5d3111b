#include "audit/render.h"

namespace licmove {

std::optional<AuditFormat> AuditFormatFromName(std::string_view name) {
  if (name == "text") return AuditFormat::kText;
  if (name == "json") return AuditFormat::kJson;
  if (name == "markdown") return AuditFormat::kMarkdown;
  if (name == "html") return AuditFormat::kHtml;
  return std::nullopt;
}

std::string RenderAudit(const Audit& audit, AuditFormat format) {
  switch (format) {
    case AuditFormat::kJson:
      return RenderAuditJson(audit);
    case AuditFormat::kMarkdown:
      return RenderAuditMarkdown(audit);
    case AuditFormat::kHtml:
      return RenderAuditHtml(audit);
    case AuditFormat::kText:
      break;
  }
  return RenderAuditText(audit);
}

}  // namespace licmove
