#pragma once

#include <string>

#include "arbiter/scenario/schema.hpp"

// Documentation generated from the field tables, so that it cannot drift from the checker:
// docs/scenario.schema.json and docs/scenario-reference.md are the output of `arbiter schema`.
namespace arbiter::scenario {

/// JSON Schema (draft 2020-12) of the format, for editors' completion and validation.
[[nodiscard]] std::string json_schema(const SectionSpec& root);

/// A Markdown reference: the value grammar, then one table per section.
[[nodiscard]] std::string markdown_reference(const SectionSpec& root);

}  // namespace arbiter::scenario
