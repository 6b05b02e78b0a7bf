#include <fmt/core.h>

#include "arbiter/scenario/schema.hpp"
#include "arbiter/scenario/schema_docs.hpp"
#include "commands.hpp"

namespace arbiter::cli {

// Prints the scenario format, generated from the field tables: the JSON Schema by default,
// the Markdown reference with --markdown (docs/scenario.schema.json, docs/scenario-reference.md).
void add_schema_command(CLI::App& app) {
  auto* command = app.add_subcommand("schema", "Print the scenario format as JSON Schema (or Markdown)");
  auto markdown = std::make_shared<bool>(false);
  command->add_flag("--markdown", *markdown, "Print the Markdown reference instead of the JSON Schema");
  command->callback([markdown] {
    const auto& root = scenario::scenario_root_spec();
    const std::string text = *markdown ? scenario::markdown_reference(root) : scenario::json_schema(root);
    fmt::print("{}", text);
  });
}

}  // namespace arbiter::cli
