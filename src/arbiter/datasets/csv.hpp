#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"

// A small strict RFC-4180 reader. The raw data sets are third-party files whose bytes we keep
// unchanged when we filter them, so every record remembers where it sits in the text.
namespace arbiter::datasets {

struct CsvRecord {
  std::vector<std::string> fields;
  std::vector<int> columns;  // 1-based column (in characters) where each field starts
  int line = 0;              // 1-based line where the record starts
  std::size_t begin = 0;     // byte range of the record in the text, line break included
  std::size_t end = 0;
};

struct CsvTable {
  std::string file;  // as named in diagnostics
  std::string text;  // the whole file
  CsvRecord header;
  std::vector<CsvRecord> rows;

  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const;
  /// Throws InputError at the header line when the column is missing.
  [[nodiscard]] std::size_t column(std::string_view name) const;
  /// The header's bytes (with a leading byte-order mark if the file had one) and line break.
  [[nodiscard]] std::string_view raw_header() const;
  [[nodiscard]] std::string_view raw(const CsvRecord& record) const;
};

/// Parses `text`; throws InputError listing every malformed record (FILE:LINE:COL).
[[nodiscard]] CsvTable parse_csv(std::string text, std::string file);
/// Reads and parses a file; `display_name` is what diagnostics call it.
[[nodiscard]] CsvTable read_csv(const std::filesystem::path& path, std::string display_name);
[[nodiscard]] CsvTable read_csv(const std::filesystem::path& path);

[[nodiscard]] diagnostics::Diagnostic cell_diagnostic(const CsvTable& table, const CsvRecord& record,
                                                      std::size_t column, std::string message,
                                                      std::string expected, std::string code);

/// The cell as a number; empty cell -> nullopt; anything else that is not a plain decimal or
/// scientific number -> InputError at the cell.
[[nodiscard]] std::optional<double> optional_number(const CsvTable& table, const CsvRecord& record,
                                                    std::size_t column);
[[nodiscard]] double number(const CsvTable& table, const CsvRecord& record, std::size_t column);
[[nodiscard]] long integer(const CsvTable& table, const CsvRecord& record, std::size_t column);

/// Quotes a field only when RFC 4180 requires it (comma, quote, CR or LF inside).
[[nodiscard]] std::string csv_field(std::string_view value);

}  // namespace arbiter::datasets
