// An audit for people (text), tools (JSON: "licmove-audit", every figure),
// CI job summaries (Markdown) and a browser or a printer (HTML: one
// self-contained file, inline CSS and SVG, no script, nothing fetched).
// docs/AUDIT.md describes each. Keys are shown whole, as in plan output.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit/audit.h"

namespace licmove {

// The JSON document's format_version: fields are only added within it.
inline constexpr int kAuditFormatVersion = 1;

enum class AuditFormat { kText, kJson, kMarkdown, kHtml };

// "text" | "json" | "markdown" | "html".
std::optional<AuditFormat> AuditFormatFromName(std::string_view name);

std::string RenderAuditText(const Audit& audit);
std::string RenderAuditJson(const Audit& audit);
std::string RenderAuditMarkdown(const Audit& audit);
std::string RenderAuditHtml(const Audit& audit);
std::string RenderAudit(const Audit& audit, AuditFormat format);

}  // namespace licmove
