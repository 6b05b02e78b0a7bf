#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"

// The CSV series format written by the data pipeline: UTF-8, a header row, first column
// `period` (YYYY or YYYYQn), numeric value columns (an empty cell means no data), then an
// optional `source` column; RFC 4180 quoting. This file holds the module's only file reads.
namespace arbiter::scenario {

inline constexpr std::size_t max_series_csv_bytes = 16u * 1024u * 1024u;

struct SeriesCsvRow {
  std::string period;
  int line = 0;
  std::vector<std::optional<double>> values;  // one per value column; nullopt = no data
  std::vector<int> value_columns;             // 1-based column of each value cell, for messages
  std::string source;
};

struct SeriesCsv {
  std::string file;                  // as shown in messages
  std::vector<std::string> columns;  // the value columns' names, in order
  std::vector<SeriesCsvRow> rows;
  std::vector<diagnostics::Diagnostic> diagnostics;  // empty when the file is usable

  /// Index into `columns`, or nullopt.
  [[nodiscard]] std::optional<std::size_t> column_index(std::string_view name) const;
};

/// Parses CSV text; problems are reported at the CSV's own FILE:LINE:COL.
[[nodiscard]] SeriesCsv parse_series_csv(std::string_view text, const std::string& file_name);

/// Reads and parses a file; a missing, unreadable, non-regular or oversized file is a diagnostic.
[[nodiscard]] SeriesCsv load_series_csv(const std::string& path);

/// Each file read at most once per check or resolve.
class SeriesFiles {
 public:
  [[nodiscard]] const SeriesCsv& load(const std::string& path);
  /// True the first time it is asked about `path`: a broken file is reported once, not per reference.
  [[nodiscard]] bool first_report(const std::string& path) { return reported_.insert(path).second; }

 private:
  std::map<std::string, SeriesCsv> loaded_;
  std::set<std::string> reported_;
};

}  // namespace arbiter::scenario
