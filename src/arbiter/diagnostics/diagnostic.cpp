#include "arbiter/diagnostics/diagnostic.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace arbiter::diagnostics {

std::string render(const Diagnostic& diagnostic) {
  const auto& where = diagnostic.location;
  std::string text = where.file;
  if (where.line > 0) text += fmt::format(":{}:{}", where.line, std::max(where.column, 1));
  text += diagnostic.severity == Diagnostic::Severity::Error ? ": error: " : ": warning: ";
  text += diagnostic.message;
  if (!diagnostic.expected.empty()) text += fmt::format(" (expected {})", diagnostic.expected);
  if (!diagnostic.code.empty()) text += fmt::format(" [{}]", diagnostic.code);
  if (!diagnostic.hint.empty()) text += fmt::format("\n  hint: {}", diagnostic.hint);
  return text;
}

std::string render(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics) {
    if (!text.empty()) text += '\n';
    text += render(diagnostic);
  }
  return text;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; });
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string nearest(const std::string& wrong, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, wrong.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(wrong, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace arbiter::diagnostics
