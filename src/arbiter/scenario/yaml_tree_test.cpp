#include "arbiter/scenario/yaml_tree.hpp"

#include <ctime>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace arbiter::scenario {
namespace {

using Kind = YamlNode::Kind;

/// The single diagnostic of a failed parse, checked for code and position.
void expect_single_error(std::string_view text, std::string_view code, int line, int column) {
  const ParsedDocument parsed = parse_yaml(text, "s.yaml");
  EXPECT_FALSE(parsed.root.has_value());
  ASSERT_EQ(parsed.diagnostics.size(), 1u) << (parsed.diagnostics.empty() ? "" : parsed.diagnostics[0].message);
  const auto& d = parsed.diagnostics[0];
  EXPECT_EQ(d.code, code) << d.message;
  EXPECT_EQ(d.location.file, "s.yaml");
  EXPECT_EQ(d.location.line, line) << d.message;
  EXPECT_EQ(d.location.column, column) << d.message;
}

TEST(YamlTree, BuildsTreeWithLocationsKindsAndQuoting) {
  const ParsedDocument parsed = parse_yaml("a: 1\nb: \"x\"\nc: [1, {d: e}]\nf: ~\n", "s.yaml");
  ASSERT_TRUE(parsed.root.has_value());
  const YamlNode& root = *parsed.root;
  EXPECT_EQ(root.kind, Kind::Map);
  ASSERT_EQ(root.entries.size(), 4u);
  const YamlNode* a = root.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->kind, Kind::Scalar);
  EXPECT_EQ(a->text, "1");
  EXPECT_FALSE(a->quoted);
  EXPECT_EQ(a->where, (diagnostics::InputLocation{"s.yaml", 1, 4}));
  const YamlNode* b = root.find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->quoted);
  EXPECT_EQ(b->text, "x");
  const YamlNode* c = root.find("c");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->kind, Kind::Sequence);
  ASSERT_EQ(c->items.size(), 2u);
  EXPECT_EQ(c->items[1].kind, Kind::Map);
  EXPECT_EQ(c->items[1].find("d")->text, "e");
  EXPECT_EQ(c->items[1].find("d")->where, (diagnostics::InputLocation{"s.yaml", 3, 12}));
  EXPECT_EQ(root.find("f")->kind, Kind::Null);
  EXPECT_EQ(root.find("zzz"), nullptr);
  EXPECT_EQ(root.entries[2].first.where, (diagnostics::InputLocation{"s.yaml", 3, 1}));
}

TEST(YamlTree, EmptyFileAndCommentOnlyFileAndBareDocumentMarker) {
  expect_single_error("", "scenario.empty", 1, 1);
  expect_single_error("# nothing here\n\n", "scenario.empty", 1, 1);
  expect_single_error("---\n", "scenario.empty", 1, 1);
}

TEST(YamlTree, NulByteIsBinary) { expect_single_error(std::string("a: 1\nb: x\0y\n", 12), "scenario.binary", 2, 5); }

TEST(YamlTree, InvalidUtf8PointsAtFirstBadByteCountingCharacters) {
  expect_single_error("\xC3\xA9: 1\nab: \xFF\n", "scenario.encoding", 2, 5);
  expect_single_error("a: \xC3\xA9\xC3\n", "scenario.encoding", 1, 5);      // truncated sequence
  expect_single_error("a: \xC0\xAF\n", "scenario.encoding", 1, 4);          // overlong '/'
  expect_single_error("a: \xED\xA0\x80\n", "scenario.encoding", 1, 4);      // surrogate half
  expect_single_error("x: 1\r\ny: \x80\n", "scenario.encoding", 2, 4);      // CRLF counts as one break
}

TEST(YamlTree, SyntaxErrorUsesParserMarkOneBased) {
  expect_single_error("a:\n  b: 1\n c: 2\n", "scenario.syntax", 3, 2);
  expect_single_error("a:\n\t- 1\n", "scenario.syntax", 2, 2);
}

TEST(YamlTree, ColumnsCountCharactersNotBytes) {
  // yaml-cpp counts bytes; "ééé: " is five characters, so the tag starts in column 6.
  expect_single_error("\xC3\xA9\xC3\xA9\xC3\xA9: !!str x\n", "scenario.tag", 1, 6);
  // A byte-order mark is not a character either.
  expect_single_error("\xEF\xBB\xBF" "a: !!str x\n", "scenario.tag", 1, 4);
}

TEST(YamlTree, AnchorsAndAliasesAreRefused) {
  expect_single_error("a: &x 1\nb: *x\n", "scenario.alias", 1, 4);
  expect_single_error("a: 1\nb: *x\n", "scenario.alias", 2, 4);
  const ParsedDocument parsed = parse_yaml("a: &x 1\n", "s.yaml");
  ASSERT_EQ(parsed.diagnostics.size(), 1u);
  EXPECT_EQ(parsed.diagnostics[0].message, "anchors and aliases are not supported in scenarios");
}

TEST(YamlTree, AliasBombIsRefusedAtItsFirstAnchor) {
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += fmt::format("{0}: &{0} [*{1},*{1},*{1},*{1},*{1},*{1},*{1},*{1},*{1}]\n", c, static_cast<char>(c - 1));
  }
  expect_single_error(bomb, "scenario.alias", 1, 4);
}

TEST(YamlTree, DuplicateKeyPointsAtSecondAndNamesFirstLine) {
  const ParsedDocument parsed = parse_yaml("a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n", "s.yaml");
  EXPECT_FALSE(parsed.root.has_value());
  ASSERT_EQ(parsed.diagnostics.size(), 2u);
  EXPECT_EQ(parsed.diagnostics[0].code, "scenario.duplicate-key");
  EXPECT_EQ(parsed.diagnostics[0].location, (diagnostics::InputLocation{"s.yaml", 3, 1}));
  EXPECT_NE(parsed.diagnostics[0].message.find("first given on line 1"), std::string::npos);
  EXPECT_EQ(parsed.diagnostics[1].location, (diagnostics::InputLocation{"s.yaml", 4, 11}));
}

std::string nested_flow(int brackets) {
  return "a: " + std::string(static_cast<std::size_t>(brackets), '[') + std::string(static_cast<std::size_t>(brackets), ']') + "\n";
}

TEST(YamlTree, NestingDepthLimit) {
  // The root mapping is level 1, so 63 brackets reach level 64 exactly.
  EXPECT_TRUE(parse_yaml(nested_flow(63), "s.yaml").root.has_value());
  expect_single_error(nested_flow(65), "scenario.depth", 1, 4 + 64);
  // Block nesting counts the same way.
  std::string block;
  for (int level = 0; level < 70; ++level) block += std::string(static_cast<std::size_t>(level), ' ') + "k:\n";
  expect_single_error(block, "scenario.depth", 65, 65);  // the 65th mapping starts here
}

TEST(YamlTree, BracketsInQuotesAndCommentsDoNotCountAsNesting) {
  const std::string brackets(100, '[');
  const ParsedDocument parsed = parse_yaml("a: \"" + brackets + "\"\nb: '" + brackets + "' # " + brackets + "\n", "s.yaml");
  ASSERT_TRUE(parsed.root.has_value());
  EXPECT_EQ(parsed.root->find("a")->text, brackets);
}

TEST(YamlTree, TooLargeFile) {
  const std::string text(max_scenario_bytes + 1, ' ');
  expect_single_error(text, "scenario.too-large", 1, 1);
}

TEST(YamlTree, TooManyValues) {
  std::string text = "a: [";
  for (std::size_t i = 0; i < max_yaml_nodes; ++i) text += "1,";
  text += "1]\n";
  const ParsedDocument parsed = parse_yaml(text, "s.yaml");
  ASSERT_EQ(parsed.diagnostics.size(), 1u);
  EXPECT_EQ(parsed.diagnostics[0].code, "scenario.too-large");
}

TEST(YamlTree, MoreThanOneDocument) { expect_single_error("a: 1\n---\nb: 2\n", "scenario.multiple-documents", 2, 1); }

TEST(YamlTree, TopLevelMustBeAMapping) {
  expect_single_error("- 1\n- 2\n", "scenario.type", 1, 1);
  expect_single_error("just text\n", "scenario.type", 1, 1);
}

TEST(YamlTree, KeysMustBeScalars) {
  expect_single_error("? [a]\n: 1\n", "scenario.key", 1, 3);
  expect_single_error(": 1\n", "scenario.key", 1, 1);
}

TEST(YamlTree, TagsAreRefused) { expect_single_error("a: !custom 1\n", "scenario.tag", 1, 4); }

TEST(YamlTree, PathologicalTenMegabyteInputsAreRejectedWithinTwoSeconds) {
  const std::size_t ten_mb = 10u * 1000u * 1000u;
  const std::vector<std::string> inputs{
      "a: " + std::string(ten_mb / 2, '[') + std::string(ten_mb / 2, ']'),  // flow nesting bomb
      "a: " + std::string(ten_mb, '{'),                                      // unclosed flow maps
      std::string(ten_mb, 'a') + ": 1\n",                                    // one huge key
      "a: \"" + std::string(ten_mb, 'x'),                                    // unterminated string
      [&] {
        std::string many = "a: [";
        while (many.size() < ten_mb) many += "1,";
        return many + "1]";
      }(),
      [&] {
        std::string lines;
        while (lines.size() < ten_mb) lines += "- - - - - - - - - - - - - - - - - - - -\n";
        return lines;
      }(),
  };
  for (const auto& input : inputs) {
    const std::clock_t start = std::clock();  // CPU time: other jobs on the machine do not count
    const ParsedDocument parsed = parse_yaml(input, "big.yaml");
    const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    EXPECT_FALSE(parsed.root.has_value());
    EXPECT_FALSE(parsed.diagnostics.empty());
    EXPECT_LT(seconds, 2.0) << input.substr(0, 40);
  }
}

TEST(YamlTree, QuoteForMessageEscapesAndCuts) {
  EXPECT_EQ(quote_for_message("a\tb"), "'a\\x09b'");
  EXPECT_EQ(quote_for_message(std::string(100, 'x')), "'" + std::string(60, 'x') + "...'");
}

}  // namespace
}  // namespace arbiter::scenario
