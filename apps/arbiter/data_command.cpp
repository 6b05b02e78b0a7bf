#include <filesystem>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "arbiter/datasets/derive.hpp"
#include "arbiter/datasets/extract.hpp"
#include "commands.hpp"

namespace arbiter::cli {
namespace {

struct DataImportOptions {
  std::string shared_dir;  // empty: do not re-extract data/raw
  std::string raw_dir = "data/raw";
  std::string out_dir = "scenarios";
};

void run_data_import(const DataImportOptions& options) {
  if (!options.shared_dir.empty()) {
    if (!std::filesystem::is_directory(options.shared_dir)) {
      throw UsageError(fmt::format("--shared {}: not a directory", options.shared_dir));
    }
    for (const auto& file : datasets::extract_raw(options.shared_dir, options.raw_dir)) {
      fmt::print("raw   {}/{}  ({} of {} rows)\n", options.raw_dir, file.file, file.rows_kept, file.rows_read);
    }
  }
  if (!std::filesystem::is_directory(options.raw_dir)) {
    throw UsageError(fmt::format("--raw {}: not a directory (extract it with --shared DIR)", options.raw_dir));
  }
  const auto files = datasets::build_derived(options.raw_dir);
  for (const auto& path : datasets::write_derived(files, options.out_dir)) {
    fmt::print("wrote {}\n", path.generic_string());
  }
}

}  // namespace

void add_data_command(CLI::App& app) {
  auto* data = app.add_subcommand("data", "Manage the public data sets behind the scenarios");
  data->require_subcommand(1);
  auto options = std::make_shared<DataImportOptions>();
  auto* import = data->add_subcommand(
      "import", "Build the scenario input series (scenarios/*/data) from the filtered raw data in data/raw");
  import->add_option("--shared", options->shared_dir,
                     "Folder of the full raw data sets; when given, data/raw is re-extracted from it first");
  import->add_option("--raw", options->raw_dir, "Folder of the filtered raw data sets")->capture_default_str();
  import->add_option("--out", options->out_dir, "Folder the derived files are written under")
      ->capture_default_str();
  import->callback([options] { run_data_import(*options); });
}

}  // namespace arbiter::cli
