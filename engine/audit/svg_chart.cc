#include "audit/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "report/xml_text.h"

namespace licmove {

namespace {

// Coordinates with one decimal: enough for a chart, and stable text.
std::string Num(double v) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << v;
  return s.str();
}

std::string Day(UnixSeconds t) {
  return FormatTimestamp(t).substr(0, 10);
}

}  // namespace

std::string EscapeHtml(const std::string& text) {
  return XmlEscape(text, XmlContext::kAttribute);
}

std::string PoolLevelChart(const std::vector<std::pair<UnixSeconds, int>>& levels, UnixSeconds from,
                           UnixSeconds until, const UnixSeconds* dry_at) {
  constexpr double kW = 600, kH = 180, kLeft = 40, kRight = 10, kTop = 10, kBottom = 30;
  int top = 1;
  for (const auto& [t, n] : levels) top = std::max(top, n);
  const double span = static_cast<double>(std::max<UnixSeconds>(until - from, 1));
  auto x = [&](UnixSeconds t) {
    const double f = std::clamp(static_cast<double>(t - from) / span, 0.0, 1.0);
    return kLeft + f * (kW - kLeft - kRight);
  };
  auto y = [&](int n) {
    return kTop + (1.0 - static_cast<double>(n) / top) * (kH - kTop - kBottom);
  };
  std::ostringstream s;
  s << "<svg class=\"chart\" viewBox=\"0 0 " << Num(kW) << " " << Num(kH) << "\" role=\"img\">";
  // Axes and the level ticks.
  s << "<line x1=\"" << Num(kLeft) << "\" y1=\"" << Num(y(0)) << "\" x2=\"" << Num(kW - kRight)
    << "\" y2=\"" << Num(y(0)) << "\" class=\"axis\"/>";
  s << "<line x1=\"" << Num(kLeft) << "\" y1=\"" << Num(kTop) << "\" x2=\"" << Num(kLeft)
    << "\" y2=\"" << Num(y(0)) << "\" class=\"axis\"/>";
  for (int n : {0, top}) {
    s << "<text x=\"" << Num(kLeft - 6) << "\" y=\"" << Num(y(n) + 4)
      << "\" text-anchor=\"end\" class=\"tick\">" << n << "</text>";
  }
  s << "<text x=\"" << Num(kLeft) << "\" y=\"" << Num(kH - 8) << "\" class=\"tick\">" << Day(from)
    << "</text><text x=\"" << Num(kW - kRight) << "\" y=\"" << Num(kH - 8)
    << "\" text-anchor=\"end\" class=\"tick\">" << Day(until) << "</text>";
  // The step line: level n holds until the next change.
  std::string points;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const auto& [t, n] = levels[i];
    if (i > 0) points += Num(x(t)) + "," + Num(y(levels[i - 1].second)) + " ";
    points += Num(x(t)) + "," + Num(y(n)) + " ";
  }
  if (!levels.empty()) points += Num(x(until)) + "," + Num(y(levels.back().second));
  s << "<polyline points=\"" << points << "\" class=\"level\"/>";
  if (dry_at) {
    s << "<line x1=\"" << Num(x(*dry_at)) << "\" y1=\"" << Num(kTop) << "\" x2=\""
      << Num(x(*dry_at)) << "\" y2=\"" << Num(y(0)) << "\" class=\"dry\"/>"
      << "<text x=\"" << Num(std::min(x(*dry_at) + 4, kW - 120)) << "\" y=\"" << Num(kTop + 12)
      << "\" class=\"drylabel\">dry " << Day(*dry_at) << "</text>";
  }
  s << "</svg>";
  return s.str();
}

std::string MonthlyBarsChart(const std::vector<MonthCounts>& months) {
  // A fixed width, so that a long horizon gets thinner bars rather than a
  // chart that shrinks to unreadable when scaled to the page.
  constexpr double kW = 900, kH = 200, kLeft = 40, kRight = 10, kTop = 10, kBottom = 40;
  const double slot =
      (kW - kLeft - kRight) / static_cast<double>(std::max<std::size_t>(months.size(), 1));
  const double bar = std::max(1.0, slot * 0.38);
  // Every month's label when there is room, else Januaries only.
  const bool every_label = slot >= 30;
  int top = 1;
  for (const MonthCounts& m : months) top = std::max({top, m.renewals, m.lapses});
  auto h = [&](int n) { return static_cast<double>(n) / top * (kH - kTop - kBottom); };
  const double base = kH - kBottom;
  std::ostringstream s;
  s << "<svg class=\"chart\" viewBox=\"0 0 " << Num(kW) << " " << Num(kH) << "\" role=\"img\">";
  s << "<line x1=\"" << Num(kLeft) << "\" y1=\"" << Num(base) << "\" x2=\"" << Num(kW - kRight)
    << "\" y2=\"" << Num(base) << "\" class=\"axis\"/>";
  s << "<text x=\"" << Num(kLeft - 6) << "\" y=\"" << Num(kTop + 4)
    << "\" text-anchor=\"end\" class=\"tick\">" << top << "</text>";
  for (std::size_t i = 0; i < months.size(); ++i) {
    const MonthCounts& m = months[i];
    const double x0 = kLeft + slot * static_cast<double>(i) + (slot - 2 * bar) / 2;
    s << "<rect x=\"" << Num(x0) << "\" y=\"" << Num(base - h(m.renewals)) << "\" width=\""
      << Num(bar) << "\" height=\"" << Num(h(m.renewals)) << "\" class=\"renewed\"><title>"
      << m.month << ": " << m.renewals << " renewals</title></rect>";
    s << "<rect x=\"" << Num(x0 + bar) << "\" y=\"" << Num(base - h(m.lapses)) << "\" width=\""
      << Num(bar) << "\" height=\"" << Num(h(m.lapses)) << "\" class=\"lapsed\"><title>" << m.month
      << ": " << m.lapses << " lapses</title></rect>";
    if (every_label || m.month.substr(5) == "01") {
      s << "<text x=\"" << Num(x0 + bar) << "\" y=\"" << Num(base + 14)
        << "\" text-anchor=\"middle\" class=\"tick\">" << m.month << "</text>";
    }
  }
  s << "<rect x=\"" << Num(kLeft) << "\" y=\"" << Num(kH - 14)
    << "\" width=\"10\" height=\"10\" class=\"renewed\"/><text x=\"" << Num(kLeft + 14) << "\" y=\""
    << Num(kH - 5) << "\" class=\"tick\">renewals</text><rect x=\"" << Num(kLeft + 90) << "\" y=\""
    << Num(kH - 14) << "\" width=\"10\" height=\"10\" class=\"lapsed\"/><text x=\""
    << Num(kLeft + 104) << "\" y=\"" << Num(kH - 5) << "\" class=\"tick\">lapses</text>";
  s << "</svg>";
  return s.str();
}

std::string HorizontalBarsChart(const std::vector<std::pair<std::string, double>>& bars,
                                const std::string& unit) {
  constexpr double kW = 600, kLabel = 170, kRow = 26;
  const double h = kRow * static_cast<double>(std::max<std::size_t>(bars.size(), 1)) + 10;
  double top = 1;
  for (const auto& [label, v] : bars) top = std::max(top, v);
  std::ostringstream s;
  s << "<svg class=\"chart\" viewBox=\"0 0 " << Num(kW) << " " << Num(h) << "\" role=\"img\">";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& [label, v] = bars[i];
    const double y = 5 + kRow * static_cast<double>(i);
    const double len = v / top * (kW - kLabel - 150);
    s << "<text x=\"" << Num(kLabel - 6) << "\" y=\"" << Num(y + 15)
      << "\" text-anchor=\"end\" class=\"tick\">" << EscapeHtml(label) << "</text>"
      << "<rect x=\"" << Num(kLabel) << "\" y=\"" << Num(y + 3) << "\" width=\"" << Num(len)
      << "\" height=\"16\" class=\"wasted\"/>"
      << "<text x=\"" << Num(kLabel + len + 6) << "\" y=\"" << Num(y + 15) << "\" class=\"tick\">"
      << std::lround(v) << " " << EscapeHtml(unit) << "</text>";
  }
  s << "</svg>";
  return s.str();
}

}  // namespace licmove
