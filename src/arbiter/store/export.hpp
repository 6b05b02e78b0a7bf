#pragma once

#include <filesystem>
#include <string>

namespace arbiter::store {

/// Writes a results file as CSV files into `directory` (created if missing): manifest.csv,
/// quarters.csv, actors.csv, series.csv, event_kinds.csv, aggregates.csv, summaries.csv,
/// events.csv and runs.csv, laid out as docs/results.md describes. Rows come in a fixed
/// order and numbers in their shortest round-trip form, so two files with the same
/// content export to the same bytes. Throws InputError if `file` is not a results file.
void export_csv(const std::filesystem::path& file, const std::filesystem::path& directory);

/// The whole results file as one JSON document (docs/results.md), with the same ordering
/// and number guarantees as export_csv.
[[nodiscard]] std::string export_json(const std::filesystem::path& file);

}  // namespace arbiter::store
