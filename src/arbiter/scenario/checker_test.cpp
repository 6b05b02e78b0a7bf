#include "arbiter/scenario/checker.hpp"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace arbiter::scenario {
namespace {

// A small format of our own, so these tests do not move when the real tables change.
constexpr std::string_view kinds[] = {"state", "organisation"};
constexpr FieldSpec military_fields[] = {
    {.key = "quality", .type = FieldType::Number, .min = 0.05, .max = 20, .unit = "index"},
    {.key = "lag", .type = FieldType::Number, .min = 0, .max = 16, .unit = "quarters", .uncertain_allowed = false},
};
constexpr SectionSpec military{.name = "military", .doc = "forces", .fields = military_fields};
constexpr FieldSpec actor_fields[] = {
    {.key = "id", .type = FieldType::Identifier, .required = true},
    {.key = "kind", .type = FieldType::Choice, .choices = kinds},
    {.key = "military", .type = FieldType::Section, .section = &military},
    {.key = "rounds", .type = FieldType::Integer, .min = 1, .max = 50},
};
constexpr SectionSpec actor{.name = "actor", .doc = "an actor", .fields = actor_fields, .key_field = "id"};
constexpr FieldSpec trade_fields[] = {
    {.key = "supplier", .type = FieldType::ActorRef, .required = true},
    {.key = "recipient", .type = FieldType::ActorRef, .required = true},
    {.key = "price", .type = FieldType::Number, .min = 0.05, .max = 10, .unit = "fraction"},
};
constexpr SectionSpec trade{.name = "arms_trade", .doc = "terms", .fields = trade_fields,
                            .key_field = "supplier->recipient"};
constexpr FieldSpec event_fields[] = {
    {.key = "date", .type = FieldType::Quarter, .required = true},
    {.key = "set", .type = FieldType::ParameterMap},
    {.key = "target", .type = FieldType::ParameterPath},
    {.key = "members", .type = FieldType::ActorList},
    {.key = "shares", .type = FieldType::ActorNumberMap, .min = 0, .max = 1, .unit = "fraction"},
    {.key = "final", .type = FieldType::Boolean},
    {.key = "note", .type = FieldType::Text},
};
constexpr SectionSpec event{.name = "event", .doc = "an event", .fields = event_fields};
constexpr FieldSpec onset_fields[] = {
    {.key = "discount", .type = FieldType::Number, .min = 0.5, .max = 0.999, .unit = ""},
};
constexpr SectionSpec onset{.name = "war_onset", .doc = "onset", .fields = onset_fields};
constexpr FieldSpec parameter_fields[] = {
    {.key = "war_onset", .type = FieldType::Section, .section = &onset},
};
constexpr SectionSpec parameters{.name = "parameters", .doc = "parameters", .fields = parameter_fields};
constexpr FieldSpec root_fields[] = {
    {.key = "name", .type = FieldType::Text, .required = true},
    {.key = "actors", .type = FieldType::List, .required = true, .section = &actor},
    {.key = "arms_trade", .type = FieldType::List, .section = &trade},
    {.key = "parameters", .type = FieldType::Section, .section = &parameters},
    {.key = "events", .type = FieldType::List, .section = &event},
};
constexpr SectionSpec root{.name = "scenario", .doc = "test scenario", .fields = root_fields};

constexpr std::string_view valid = R"(name: test
actors:
  - {id: armenia, kind: state, military: {quality: 1.2, lag: 4}}
  - {id: russia, rounds: 4}
arms_trade:
  - {supplier: russia, recipient: armenia, price: {value: 80, unit: percent}}
parameters: {war_onset: {discount: 0.9}}
events:
  - date: 2020Q3
    set:
      arms_trade.russia->armenia.price: 0.9
      actors.armenia.military.quality: {dist: uniform, low: 1, high: 2}
      parameters.war_onset.discount: 0.95
    target: actors.russia.military.lag
    members: [armenia, russia]
    shares: {armenia: 0.5}
    final: true
    note: "text"
)";

std::vector<diagnostics::Diagnostic> check(std::string_view text) { return check_text(text, root, "s.yaml", ""); }

struct Edited {
  std::string text;
  std::vector<diagnostics::Diagnostic> problems;
};

/// Replaces the first `from` in the valid document by `to` and checks the result.
Edited check_edited(std::string_view from, std::string_view to) {
  Edited edited{std::string(valid), {}};
  const auto at = edited.text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) edited.text.replace(at, from.size(), to);
  edited.problems = check(edited.text);
  return edited;
}

/// Expects exactly one problem, with `code`, at the first occurrence of `marker` in the text.
void expect_one(const Edited& edited, std::string_view code, std::string_view marker) {
  const auto& problems = edited.problems;
  ASSERT_EQ(problems.size(), 1u) << diagnostics::render(problems);
  EXPECT_EQ(problems[0].code, code) << problems[0].message;
  const auto at = edited.text.find(marker);
  ASSERT_NE(at, std::string::npos) << marker;
  const auto line_start = edited.text.rfind('\n', at);
  const int line = 1 + static_cast<int>(std::count(edited.text.begin(), edited.text.begin() + static_cast<long>(at), '\n'));
  const int column = static_cast<int>(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
  EXPECT_EQ(problems[0].location.line, line) << problems[0].message;
  EXPECT_EQ(problems[0].location.column, column) << problems[0].message;
}

TEST(Checker, ValidDocumentHasNoProblems) {
  const auto problems = check(valid);
  EXPECT_TRUE(problems.empty()) << diagnostics::render(problems);
}

TEST(Checker, UnknownKeyWithHint) {
  const auto top = check_edited("name: test", "name: test\nnmae: x");
  expect_one(top, "scenario.unknown-key", "nmae");
  EXPECT_EQ(top.problems[0].hint, "did you mean 'name'?");
  const auto nested = check_edited("{quality: 1.2", "{qualty: 1.2");
  expect_one(nested, "scenario.unknown-key", "qualty");
  EXPECT_EQ(nested.problems[0].hint, "did you mean 'quality'?");
}

TEST(Checker, MissingRequiredKeysAtTheirMapping) {
  expect_one(check_edited("name: test\n", ""), "scenario.missing-key", "actors");
  expect_one(check_edited("  - date: 2020Q3\n    set:", "  - set:"), "scenario.missing-key", "set:\n");
}

TEST(Checker, TypesRangesUnitsChoicesIntegersBooleans) {
  expect_one(check_edited("name: test", "name: [a]"), "scenario.type", "[a]");
  expect_one(check_edited("quality: 1.2", "quality: 25"), "scenario.range", "25");
  expect_one(check_edited("unit: percent", "unit: years"), "scenario.unit", "years");
  const auto choice = check_edited("kind: state", "kind: stat");
  expect_one(choice, "scenario.choice", "stat,");
  EXPECT_EQ(choice.problems[0].expected, "one of: state, organisation");
  EXPECT_EQ(choice.problems[0].hint, "did you mean 'state'?");
  expect_one(check_edited("rounds: 4", "rounds: 4.5"), "scenario.type", "4.5");
  expect_one(check_edited("final: true", "final: yes"), "scenario.type", "yes");
  expect_one(check_edited("lag: 4", "lag: {dist: uniform, low: 1, high: 2}"), "scenario.type", "uniform");
  expect_one(check_edited("date: 2020Q3", "date: 2020Q7"), "scenario.quarter", "2020Q7");
}

TEST(Checker, IdentifierSyntax) {
  const auto edited = check_edited("{id: russia,", "{id: Russia,");
  // The bad id is reported, and references to 'russia' no longer resolve.
  ASSERT_GE(edited.problems.size(), 1u);
  EXPECT_EQ(edited.problems[0].code, "scenario.identifier");
  EXPECT_EQ(edited.problems[0].location.line, 4);
  EXPECT_EQ(edited.problems[0].location.column, 10);
  EXPECT_EQ(edited.problems[0].hint, "write 'russia'");
}

TEST(Checker, DuplicateIdsIncludingComposedKeys) {
  const auto ids = check_edited("  - {id: russia, rounds: 4}\n", "  - {id: russia, rounds: 4}\n  - {id: russia}\n");
  expect_one(ids, "scenario.duplicate-id", "russia}\n");
  EXPECT_NE(ids.problems[0].message.find("first on line 4"), std::string::npos);
  const auto pairs = check_edited("arms_trade:\n", "arms_trade:\n  - {supplier: russia, recipient: armenia}\n");
  expect_one(pairs, "scenario.duplicate-id", "russia, recipient: armenia, price");  // the second one, after the edit
  EXPECT_NE(pairs.problems[0].message.find("russia->armenia"), std::string::npos);
  // The reverse direction is a different relation.
  EXPECT_TRUE(check_edited("arms_trade:\n", "arms_trade:\n  - {supplier: armenia, recipient: russia}\n").problems.empty());
  expect_one(check_edited("members: [armenia, russia]", "members: [armenia, armenia]"), "scenario.duplicate-id",
             "armenia]");
}

TEST(Checker, UnknownActorsWithNearestHint) {
  const auto typo = check_edited("recipient: armenia", "recipient: armnia");
  // The path arms_trade.russia->armenia.price no longer names an element either.
  ASSERT_EQ(typo.problems.size(), 2u);
  EXPECT_EQ(typo.problems[0].code, "scenario.unknown-actor");
  EXPECT_EQ(typo.problems[0].location.line, 6);
  EXPECT_EQ(typo.problems[0].location.column, 35);
  EXPECT_EQ(typo.problems[0].hint, "did you mean 'armenia'?");
  EXPECT_EQ(typo.problems[1].code, "scenario.parameter-path");
  expect_one(check_edited("members: [armenia, russia]", "members: [armenia, china]"), "scenario.unknown-actor",
             "china");
  expect_one(check_edited("shares: {armenia: 0.5}", "shares: {georgia: 0.5}"), "scenario.unknown-actor", "georgia");
  expect_one(check_edited("shares: {armenia: 0.5}", "shares: {armenia: 1.5}"), "scenario.range", "1.5");
}

TEST(Checker, ParameterPaths) {
  const auto element = check_edited("arms_trade.russia->armenia.price", "arms_trade.russia->georgia.price");
  expect_one(element, "scenario.parameter-path", "arms_trade.russia->georgia");
  EXPECT_EQ(element.problems[0].hint, "did you mean 'russia->armenia'?");
  const auto field = check_edited("actors.armenia.military.quality", "actors.armenia.military.qualty");
  expect_one(field, "scenario.parameter-path", "actors.armenia.military.qualty");
  EXPECT_EQ(field.problems[0].hint, "did you mean 'quality'?");
  expect_one(check_edited("parameters.war_onset.discount: 0.95", "parameters.war_onset: 0.95"),
             "scenario.parameter-path", "parameters.war_onset: 0.95");
  expect_one(check_edited("target: actors.russia.military.lag", "target: actors.russia.rounds"),
             "scenario.parameter-path", "actors.russia.rounds");  // an Integer, not a Number
  expect_one(check_edited("target: actors.russia.military.lag", "target: actors.military"),
             "scenario.parameter-path", "actors.military");
  expect_one(check_edited("target: actors.russia.military.lag", "target: actors.russia.military.lag.x"),
             "scenario.parameter-path", "actors.russia.military.lag.x");
  // The value of a `set` entry is checked against the target field's range and unit.
  expect_one(check_edited("parameters.war_onset.discount: 0.95", "parameters.war_onset.discount: 1.5"),
             "scenario.range", "1.5");
}

TEST(Checker, ReportsEveryProblemInDocumentOrder) {
  std::string text(valid);
  text.replace(text.find("kind: state"), 11, "kind: stat");
  text.replace(text.find("quality: 1.2"), 12, "quality: 25");
  text.replace(text.find("recipient: armenia"), 18, "recipient: armnia");
  const auto problems = check(text);
  ASSERT_EQ(problems.size(), 4u) << diagnostics::render(problems);
  EXPECT_EQ(problems[0].code, "scenario.choice");
  EXPECT_EQ(problems[1].code, "scenario.range");
  EXPECT_EQ(problems[2].code, "scenario.unknown-actor");
  EXPECT_EQ(problems[3].code, "scenario.parameter-path");
}

TEST(Checker, ElementKeys) {
  const ParsedDocument parsed = parse_yaml("a: {supplier: russia, recipient: armenia}\nb: {id: x}\n", "s.yaml");
  ASSERT_TRUE(parsed.root);
  EXPECT_EQ(element_key(*parsed.root->find("a"), trade), "russia->armenia");
  EXPECT_EQ(element_key(*parsed.root->find("b"), actor), "x");
  EXPECT_EQ(element_key(*parsed.root->find("b"), trade), "");
}

TEST(Checker, ManyProblemsAreCappedAndFast) {
  std::string text = "name: x\nactors:\n";
  for (int i = 0; i < 5000; ++i) text += fmt::format("  - {{id: a{}, kind: bad, rounds: 0}}\n", i);
  const std::clock_t start = std::clock();  // CPU time: other jobs on the machine do not count
  const auto problems = check(text);
  const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  ASSERT_EQ(problems.size(), max_reported_problems + 1);
  EXPECT_EQ(problems.back().code, "scenario.too-many-problems");
  EXPECT_LT(seconds, 2.0);
}

TEST(Checker, ManyUnknownActorsStayFast) {
  std::string text = "name: x\nactors:\n";
  for (int i = 0; i < 5000; ++i) text += fmt::format("  - {{id: {}}}\n", std::string(60, 'a') + std::to_string(i));
  text += "events:\n  - date: 2000\n    members: [";
  for (int i = 0; i < 5000; ++i) text += std::string(60, 'b') + std::to_string(i) + ", ";
  text += "x]\n";
  const std::clock_t start = std::clock();  // CPU time: other jobs on the machine do not count
  const auto problems = check(text);
  const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  EXPECT_EQ(problems.size(), max_reported_problems + 1);
  EXPECT_LT(seconds, 2.0);
}

TEST(Checker, RealTablesAcceptAMinimalScenario) {
  const auto problems = check_text(R"(schema: 1
name: minimal
time: {start: 1994Q2, end: 1996}
actors:
  - id: armenia
    economy: {gdp: {1994: 1.2, 1995: 1.3}}
  - id: russia
    outside_power: {strategy: optimise}
arms_trade:
  - {supplier: russia, recipient: armenia, price: 0.8}
policies:
  - name: embargo
    changes:
      - from: 1995Q2
        set: {arms_trade.russia->armenia.embargo: 1}
)",
                                   scenario_root_spec(), "s.yaml", "");
  EXPECT_TRUE(problems.empty()) << diagnostics::render(problems);
}

}  // namespace
}  // namespace arbiter::scenario
