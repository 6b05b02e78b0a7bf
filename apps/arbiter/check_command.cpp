#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/scenario/scenario.hpp"
#include "commands.hpp"

namespace arbiter::cli {

namespace {

/// Checks one file; prints every diagnostic, or one "ok" line. Returns whether it is valid.
bool check_one(const std::string& path) {
  try {
    const scenario::Scenario scenario = scenario::load_scenario(path);
    fmt::print("{}: ok ({} actors, {} rivalries, {} quarters {}..{}, {} policies)\n", path, scenario.actors.size(),
               scenario.rivalries.size(), scenario.quarter_count, scenario.quarter_labels.front(),
               scenario.quarter_labels.back(), scenario.policies.size());
    return true;
  } catch (const InputError& error) {
    fmt::print(stderr, "{}\n", error.what());
    const auto count = error.diagnostics().size();
    fmt::print(stderr, "{}: {} problem{} found\n", path, count, count == 1 ? "" : "s");
    return false;
  }
}

}  // namespace

void add_check_command(CLI::App& app) {
  auto* command = app.add_subcommand("check", "Validate scenario files and report every problem found");
  auto files = std::make_shared<std::vector<std::string>>();
  command->add_option("files", *files, "Scenario YAML files")->required();
  command->callback([files] {
    bool all_valid = true;
    for (const auto& path : *files) all_valid = check_one(path) && all_valid;
    if (!all_valid) throw ExitRequest{exit_code::invalid_input};
  });
}

}  // namespace arbiter::cli
