#pragma once

#include <string>
#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"
#include "arbiter/scenario/schema.hpp"
#include "arbiter/scenario/yaml_tree.hpp"

// Checks a parsed scenario against the field tables and reports every problem at once:
// unknown and missing keys, types, ranges, units, choices, ids, actor references, parameter
// paths and series files. A document that passes can be resolved without further checks.
namespace arbiter::scenario {

/// Problems beyond this many are summarised in one final diagnostic (keeps output and time bounded).
inline constexpr std::size_t max_reported_problems = 200;

/// `root` is the parsed document; `scenario_dir` is where series files are looked up.
[[nodiscard]] std::vector<diagnostics::Diagnostic> check_document(const YamlNode& root, const SectionSpec& spec,
                                                                  const std::string& file,
                                                                  const std::string& scenario_dir);

/// Parses and checks in one go: the parser's problems, or else the checker's.
[[nodiscard]] std::vector<diagnostics::Diagnostic> check_text(std::string_view text, const SectionSpec& spec,
                                                              const std::string& file,
                                                              const std::string& scenario_dir);

/// The key that names an element of a List described by `section` (its `key_field`, or two
/// fields joined by "->" such as "russia->armenia"); empty when the element lacks it.
[[nodiscard]] std::string element_key(const YamlNode& element, const SectionSpec& section);

/// Where a parameter path such as `actors.russia.military.quality` leads.
struct PathTarget {
  const FieldSpec* field = nullptr;  // the Number field named; nullptr when the path is bad
  const YamlNode* node = nullptr;    // the value currently given for it, if any
};
/// Resolves a path in a checked document; problems are appended to `problems` at `where`.
[[nodiscard]] PathTarget resolve_parameter_path(const YamlNode& root, const SectionSpec& spec, std::string_view path,
                                                const diagnostics::InputLocation& where,
                                                std::vector<diagnostics::Diagnostic>& problems);

}  // namespace arbiter::scenario
