#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

// Copies from the shared raw data sets only the rows the scenarios and the validation need, into
// data/raw/<set>/<same file name>. Kept rows (and the header) are copied byte for byte.
namespace arbiter::datasets {

struct ExtractedFile {
  std::string file;  // relative to the raw dir, '/'-separated
  std::size_t rows_read = 0;
  std::size_t rows_kept = 0;
};

/// Reads shared_dir/<set>/<file>, writes raw_dir/<set>/<file> for every file the import needs.
/// Leaves anything else in raw_dir (e.g. the SOURCE.md files) untouched.
std::vector<ExtractedFile> extract_raw(const std::filesystem::path& shared_dir,
                                       const std::filesystem::path& raw_dir);

}  // namespace arbiter::datasets
