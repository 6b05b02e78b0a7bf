#pragma once

#include <optional>
#include <string>
#include <vector>

// The scenario series format: `period` (YYYY or YYYYQn), numeric value columns (empty = no data),
// then `source` naming the file and row each value came from. Rendering is deterministic: fixed
// decimals per column, rows in the order given (callers add them in period order).
namespace arbiter::datasets {

struct SeriesColumn {
  std::string name;  // snake_case with unit, e.g. "gdp_usd_bn_2015"
  int decimals = 0;  // fixed number of decimals written
};

struct SeriesRow {
  std::string period;
  std::vector<std::optional<double>> values;  // one per column
  std::string source;
};

struct Series {
  std::vector<SeriesColumn> columns;
  std::vector<SeriesRow> rows;
};

/// `value` with exactly `decimals` decimals; never "-0.00".
[[nodiscard]] std::string format_fixed(double value, int decimals);
/// CSV text of the series, LF line breaks. Checks (as invariants) that every row has one value
/// per column and that periods strictly increase.
[[nodiscard]] std::string render_series(const Series& series);

}  // namespace arbiter::datasets
