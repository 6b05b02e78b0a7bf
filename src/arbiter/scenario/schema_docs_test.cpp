#include "arbiter/scenario/schema_docs.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace arbiter::scenario {
namespace {

constexpr std::string_view kinds[] = {"state", "organisation"};
constexpr FieldSpec item_fields[] = {
    {.key = "id", .type = FieldType::Identifier, .required = true, .doc = "Name"},
    {.key = "share", .type = FieldType::Number, .default_text = "0.5", .min = 0, .max = 1, .unit = "fraction",
     .doc = "A share | with a bar"},
    {.key = "lag", .type = FieldType::Number, .default_text = "4", .min = 0, .unit = "quarters", .doc = "Lag",
     .uncertain_allowed = false},
    {.key = "kind", .type = FieldType::Choice, .default_text = "state", .doc = "Kind", .choices = kinds},
    {.key = "on", .type = FieldType::Boolean, .default_text = "true", .doc = "Switch"},
};
constexpr SectionSpec item{.name = "item", .doc = "An item", .fields = item_fields, .key_field = "id"};
constexpr FieldSpec root_fields[] = {
    {.key = "schema", .type = FieldType::Integer, .required = true, .min = 1, .max = 1, .doc = "Version"},
    {.key = "items", .type = FieldType::List, .doc = "Items", .section = &item},
};
constexpr SectionSpec root{.name = "scenario", .doc = "Test format", .fields = root_fields};

TEST(JsonSchema, DescribesEveryField) {
  const auto schema = nlohmann::json::parse(json_schema(root));
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema["required"], nlohmann::json::array({"schema"}));
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["properties"]["schema"]["minimum"], 1);
  EXPECT_EQ(schema["properties"]["schema"]["maximum"], 1);
  EXPECT_EQ(schema["properties"]["items"]["items"]["$ref"], "#/$defs/item");
  const auto& fields = schema["$defs"]["item"]["properties"];
  EXPECT_EQ(fields["share"]["default"], 0.5);
  EXPECT_EQ(fields["share"]["x-unit"], "fraction");
  EXPECT_EQ(fields["share"]["description"], "A share | with a bar [fraction]");
  EXPECT_EQ(fields["share"]["anyOf"][0]["maximum"], 1);
  EXPECT_EQ(fields["share"]["anyOf"].size(), 4u);  // plain, quantity, free, distribution
  EXPECT_EQ(fields["lag"]["anyOf"].size(), 3u);    // fixed: no distribution
  EXPECT_FALSE(fields["lag"]["anyOf"][0].contains("maximum"));
  EXPECT_EQ(fields["kind"]["enum"], nlohmann::json::array({"state", "organisation"}));
  EXPECT_EQ(fields["on"]["default"], true);
  EXPECT_EQ(schema["$defs"]["item"]["required"], nlohmann::json::array({"id"}));
}

TEST(JsonSchema, RealTablesProduceValidJsonWithEverySection) {
  const auto schema = nlohmann::json::parse(json_schema(scenario_root_spec()));
  EXPECT_TRUE(schema["$defs"].contains("actor"));
  EXPECT_TRUE(schema["$defs"].contains("arms_trade"));
  EXPECT_TRUE(schema["properties"].contains("actors"));
}

TEST(MarkdownReference, OneTablePerSectionWithEscapedCells) {
  const std::string md = markdown_reference(root);
  EXPECT_NE(md.find("## scenario {#scenario}"), std::string::npos);
  EXPECT_NE(md.find("## scenario.items[] {#item}"), std::string::npos);
  EXPECT_NE(md.find("| `share` | number |  | `0.5` | fraction | 0 to 1 | A share \\| with a bar |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| `lag` | number (fixed) |  | `4` | quarters | ≥ 0 | Lag |"), std::string::npos);
  EXPECT_NE(md.find("| `kind` | one of `state`, `organisation` |"), std::string::npos);
  EXPECT_NE(md.find("| `schema` | integer | yes |  |  | 1 to 1 | Version |"), std::string::npos);
}

}  // namespace
}  // namespace arbiter::scenario
