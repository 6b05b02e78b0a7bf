#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"

// Our own YAML tree, built from yaml-cpp's event stream so that every limit (size, depth,
// node count, anchors, duplicate keys, encoding) is ours to enforce and every node knows
// its FILE:LINE:COL. yaml-cpp itself never leaves yaml_tree.cpp.
namespace arbiter::scenario {

struct YamlNode {
  enum class Kind { Null, Scalar, Sequence, Map };

  // Declared here, defined in the .cpp: `entries` holds pairs of this still-incomplete type,
  // which clang only accepts once YamlNode is complete.
  YamlNode();
  YamlNode(const YamlNode&);
  YamlNode(YamlNode&&) noexcept;
  YamlNode& operator=(const YamlNode&);
  YamlNode& operator=(YamlNode&&) noexcept;
  ~YamlNode();

  Kind kind = Kind::Null;
  std::string text;     // the scalar's text (Scalar only)
  bool quoted = false;  // a quoted scalar is text, never a number or boolean
  diagnostics::InputLocation where;
  std::vector<YamlNode> items;                             // Sequence
  std::vector<std::pair<YamlNode, YamlNode>> entries;      // Map, in file order; keys are scalars

  /// The value stored under a scalar key, or nullptr (also when this is not a Map).
  [[nodiscard]] const YamlNode* find(std::string_view key) const;
  [[nodiscard]] bool is_scalar() const noexcept { return kind == Kind::Scalar; }
  [[nodiscard]] bool is_map() const noexcept { return kind == Kind::Map; }
  [[nodiscard]] bool is_sequence() const noexcept { return kind == Kind::Sequence; }
};

struct ParsedDocument {
  std::optional<YamlNode> root;  // absent when any error was found
  std::vector<diagnostics::Diagnostic> diagnostics;
};

/// Limits that keep hostile input from exhausting time or memory.
inline constexpr std::size_t max_scenario_bytes = 16u * 1024u * 1024u;
inline constexpr int max_nesting_depth = 64;
inline constexpr std::size_t max_yaml_nodes = 200'000;  // yaml-cpp needs about 1 us per value

/// Parses one YAML document whose top level must be a mapping.
[[nodiscard]] ParsedDocument parse_yaml(std::string_view text, const std::string& file_name);

/// Where the first byte is that makes `text` unusable as UTF-8 text: a NUL byte or an invalid
/// UTF-8 sequence. Shared with the CSV reader.
struct TextProblem {
  diagnostics::InputLocation where;
  std::string message;
  std::string code;  // scenario.binary or scenario.encoding
};
[[nodiscard]] std::optional<TextProblem> find_text_problem(std::string_view text, const std::string& file_name);

/// An error diagnostic (spelled out as a function: g++ 12 warns about designated
/// initialisers that leave members to their defaults).
[[nodiscard]] diagnostics::Diagnostic error_at(diagnostics::InputLocation where, std::string code, std::string message,
                                               std::string expected = {}, std::string hint = {});

/// A short, printable rendering of user text for messages (long text is cut, control bytes escaped).
[[nodiscard]] std::string quote_for_message(std::string_view text);

}  // namespace arbiter::scenario
