#include "arbiter/datasets/series.hpp"

#include <fmt/format.h>

#include "arbiter/datasets/csv.hpp"
#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {
namespace {

// Orders YYYY before YYYYQ1 of the same year, then by quarter: the annual value is a default
// that quarterly rows of that year refine.
std::pair<int, int> period_key(const std::string& period) {
  check_invariant(period.size() == 4 || (period.size() == 6 && period[4] == 'Q'),
                  "period must be YYYY or YYYYQn");
  const int year = std::stoi(period.substr(0, 4));
  const int quarter = period.size() == 6 ? period[5] - '0' : 0;
  check_invariant(quarter >= 0 && quarter <= 4, "quarter must be 1..4");
  return {year, quarter};
}

}  // namespace

std::string format_fixed(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.starts_with('-') && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::string render_series(const Series& series) {
  std::string out = "period";
  for (const auto& column : series.columns) {
    check_invariant(!column.name.empty() && column.name != "period" && column.name != "source",
                    "series column names must be distinct from period/source");
    out += ',' + column.name;
  }
  out += ",source\n";
  std::pair<int, int> previous{-1, -1};
  for (const auto& row : series.rows) {
    check_invariant(row.values.size() == series.columns.size(), "one value per series column");
    const auto key = period_key(row.period);
    check_invariant(key > previous, "series periods must strictly increase");
    previous = key;
    out += row.period;
    for (std::size_t i = 0; i < row.values.size(); ++i) {
      out += ',';
      if (row.values[i]) out += format_fixed(*row.values[i], series.columns[i].decimals);
    }
    out += ',' + csv_field(row.source) + '\n';
  }
  return out;
}

}  // namespace arbiter::datasets
