// Every number in the case scenarios must say where it comes from: a `source:`, or a
// `free: [lo, hi]` range with a `reason:`, or a distribution with a `source:`. The walk
// follows the scenario format's own field tables, so a new Number field is covered as soon
// as it is added to scenario_schema.cpp.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arbiter/scenario/schema.hpp"
#include "arbiter/scenario/yaml_tree.hpp"

namespace arbiter::scenario {
namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string where(const YamlNode& node) {
  return node.where.file + ":" + std::to_string(node.where.line) + ":" + std::to_string(node.where.column);
}

bool has_text(const YamlNode& map, std::string_view key) {
  const YamlNode* node = map.find(key);
  return node != nullptr && node->is_scalar() && !node->text.empty();
}

class SourceWalk {
 public:
  std::vector<std::string> unsourced;
  int numbers_seen = 0;

  void section(const YamlNode& map, const SectionSpec& spec, bool vouched) {
    if (!map.is_map()) return;
    for (const auto& [key, value] : map.entries) {
      const FieldSpec* field = nullptr;
      for (const auto& f : spec.fields) {
        if (f.key == key.text) field = &f;
      }
      if (field == nullptr) continue;  // unknown keys are the checker's business
      const std::string path = std::string(spec.name) + "." + key.text;
      switch (field->type) {
        case FieldType::Number: number(value, path); break;
        case FieldType::Series: series(value, path); break;
        case FieldType::ActorNumberMap:
          for (const auto& [k, v] : value.entries) number(v, path + "." + k.text);
          break;
        case FieldType::ParameterMap: parameter_map(value, path, vouched); break;
        case FieldType::Section: section(value, *field->section, vouched); break;
        case FieldType::List:
          for (const auto& item : value.items) {
            section(item, *field->section, vouched || has_text(item, "source") || has_text(item, "description"));
          }
          break;
        default: break;
      }
    }
  }

 private:
  void number(const YamlNode& node, const std::string& path) {
    ++numbers_seen;
    if (node.is_map()) {
      const bool sourced = has_text(node, "source");
      const bool free = node.find("free") != nullptr && has_text(node, "reason");
      if (sourced || free) return;
      unsourced.push_back(where(node) + " " + path + (node.find("dist") != nullptr
                                                          ? ": a distribution without source:"
                                                          : ": a mapping without source: or free: + reason:"));
      return;
    }
    unsourced.push_back(where(node) + " " + path + ": a bare number");
  }

  void series(const YamlNode& node, const std::string& path) {
    ++numbers_seen;
    // A series file's rows carry their own sources; anything else must cite one.
    if (node.is_map() && (has_text(node, "series") || has_text(node, "source"))) return;
    unsourced.push_back(where(node) + " " + path + ": a series that is neither {series: FILE} nor sourced");
  }

  /// Values set by an event or a policy. A value may be a full quantity; a plain number is
  /// accepted only where an enclosing list element vouches for it: an event's `source:` (the
  /// dated fact the change records) or a policy's `description:` (the number is the
  /// counterfactual being defined, not a claim about the world).
  void parameter_map(const YamlNode& map, const std::string& path, bool vouched) {
    for (const auto& [key, value] : map.entries) {
      if (value.is_scalar() && vouched) {
        ++numbers_seen;
        continue;
      }
      number(value, path + "." + key.text);
    }
  }
};

class CaseScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(CaseScenario, EveryNumberIsSourcedOrMarkedFree) {
  const std::filesystem::path file = std::filesystem::path(ARBITER_SOURCE_DIR) / GetParam();
  const auto parsed = parse_yaml(read(file), GetParam());
  ASSERT_TRUE(parsed.root.has_value()) << GetParam() << " does not parse";
  SourceWalk walk;
  walk.section(*parsed.root, scenario_root_spec(), false);
  EXPECT_GT(walk.numbers_seen, 50) << "the walk found too few numbers to be walking the scenario";
  std::string listed;
  for (const auto& line : walk.unsourced) listed += "\n  " + line;
  EXPECT_TRUE(walk.unsourced.empty()) << walk.unsourced.size() << " unsourced numbers:" << listed;
}

INSTANTIATE_TEST_SUITE_P(Cases, CaseScenario,
                         ::testing::Values("scenarios/karabakh/karabakh.yaml",
                                           "scenarios/ethiopia-eritrea/ethiopia-eritrea.yaml"));

TEST(SourceWalk, FlagsABareNumberAndAnUnsourcedDistribution) {
  const std::string text = R"(schema: 1
name: x
time: {start: 2000Q1, end: 2001Q4}
actors:
  - id: a
    military:
      capability: 3
      quality: {dist: uniform, low: 1, high: 2}
      depreciation: {value: 0.1, free: [0, 0.2], reason: not measured}
      procurement_share: {value: 0.2, free: [0, 0.3]}
      import_share: {value: 0.9, source: "a table"}
)";
  const auto parsed = parse_yaml(text, "t.yaml");
  ASSERT_TRUE(parsed.root.has_value());
  SourceWalk walk;
  walk.section(*parsed.root, scenario_root_spec(), false);
  ASSERT_EQ(walk.unsourced.size(), 3u);
  EXPECT_NE(walk.unsourced[0].find("t.yaml:7:"), std::string::npos) << walk.unsourced[0];
  EXPECT_NE(walk.unsourced[0].find("bare number"), std::string::npos);
  EXPECT_NE(walk.unsourced[1].find("distribution"), std::string::npos);
  EXPECT_NE(walk.unsourced[2].find("procurement_share"), std::string::npos);
}

}  // namespace
}  // namespace arbiter::scenario
