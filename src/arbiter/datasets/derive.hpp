#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

// Builds the scenario input series (docs/data.md) from the filtered raw files in data/raw.
namespace arbiter::datasets {

/// Relative output path ('/'-separated, e.g. "karabakh/data/arms_russia_armenia.csv") -> content.
using DerivedFiles = std::map<std::string, std::string>;

/// Reads raw_dir/<set>/<file>; throws InputError (FILE:LINE:COL) on malformed input.
[[nodiscard]] DerivedFiles build_derived(const std::filesystem::path& raw_dir);

/// Writes every file under out_dir, creating folders; returns the paths written.
std::vector<std::filesystem::path> write_derived(const DerivedFiles& files, const std::filesystem::path& out_dir);

}  // namespace arbiter::datasets
