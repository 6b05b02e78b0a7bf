#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/core.h>
#include <fmt/std.h>

#include "arbiter/store/export.hpp"
#include "commands.hpp"

namespace arbiter::cli {
namespace {

struct ExportOptions {
  std::filesystem::path file;
  std::filesystem::path csv_directory;
  std::string json_out;
};

void write_all(std::FILE* out, const std::string& text, const std::string& name) {
  if (std::fwrite(text.data(), 1, text.size(), out) != text.size() || std::fflush(out) != 0) {
    throw std::runtime_error(fmt::format("cannot write {}", name));
  }
}

void execute_export(const ExportOptions& options, bool csv, bool json) {
  if (csv == json) throw UsageError("export needs exactly one of --csv DIR and --json [OUT]");
  if (csv) {
    store::export_csv(options.file, options.csv_directory);
    fmt::print("wrote manifest.csv, quarters.csv, actors.csv, series.csv, event_kinds.csv, aggregates.csv, "
               "summaries.csv, events.csv and runs.csv to {}\n",
               options.csv_directory.string());
    return;
  }
  const std::string document = store::export_json(options.file);
  if (options.json_out.empty() || options.json_out == "-") {
    write_all(stdout, document, "standard output");
    return;
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(options.json_out.c_str(), "wb"), &std::fclose);
  if (!out) throw std::runtime_error(fmt::format("cannot create {}", options.json_out));
  write_all(out.get(), document, options.json_out);
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command = app.add_subcommand("export", "Export a results file as CSV files or one JSON document");
  command->add_option("file", options->file, "Results file written by `arbiter run`")->required();
  CLI::Option* csv = command->add_option("--csv", options->csv_directory,
                                         "Write one CSV file per table into DIR (created if missing)");
  csv->option_text("DIR");
  CLI::Option* json = command->add_option("--json", options->json_out, "Write one JSON document to OUT ('-' or "
                                                                      "nothing: standard output)");
  json->expected(0, 1)->option_text("[OUT]");
  csv->excludes(json);
  command->footer("Layout of the files: docs/results.md");
  command->callback([options, csv, json] { execute_export(*options, csv->count() > 0, json->count() > 0); });
}

}  // namespace arbiter::cli
