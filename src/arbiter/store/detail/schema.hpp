#pragma once

#include <filesystem>
#include <memory>

#include "arbiter/store/detail/sqlite.hpp"

namespace arbiter::store::detail {

/// Creates every table of schema_version in an empty database (docs/results.md).
void create_schema(Database& database);

/// Opens an existing results file read-only after checking that it is one this build can
/// read; throws InputError naming the file otherwise.
[[nodiscard]] std::unique_ptr<Database> open_results_file(const std::filesystem::path& file);

}  // namespace arbiter::store::detail
