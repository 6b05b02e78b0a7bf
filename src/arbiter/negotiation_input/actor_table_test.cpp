#include "arbiter/negotiation_input/actor_table.hpp"

#include <string>

#include <gtest/gtest.h>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::negotiation_input {
namespace {

// The rendered diagnostics of a table that must be rejected.
std::string csv_errors(const std::string& text) {
  try {
    (void)parse_actor_csv(text, "t.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

std::string yaml_errors(const std::string& text) {
  try {
    (void)parse_actor_yaml(text, "t.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

TEST(ActorCsv, ReadsTheEmissionTable) {
  const auto table = load_actor_table(std::string(ARBITER_SOURCE_DIR) +
                                      "/tests/data/negotiation/bdm1994-emissions/actors.csv");
  ASSERT_EQ(table.names.size(), 10U);
  ASSERT_EQ(table.issues.size(), 1U);
  EXPECT_EQ(table.names[6], "UK");
  EXPECT_DOUBLE_EQ(table.capability[6].low, 0.16);
  EXPECT_DOUBLE_EQ(table.issues[0].position[6].low, 10.0);
  EXPECT_DOUBLE_EQ(table.issues[0].salience[6].low, 0.9);  // 90 on the 0..100 scale
  EXPECT_FALSE(table.has_ranges());
}

TEST(ActorCsv, RangesIssuesQuotesAndComments) {
  const auto table = parse_actor_csv(
      "# a comment\n"
      "name,capability,position_nk,salience_nk,position_corridor,salience_corridor,risk\n"
      "\"Armenia, Republic of\", 2..3 ,80,0.9,10..20,0.5,\n"
      "Azerbaijan,4,5,1,90,0.7..0.8,1.5\n",
      "t.csv");
  ASSERT_EQ(table.issues.size(), 2U);
  EXPECT_EQ(table.issues[1].name, "corridor");
  EXPECT_EQ(table.names[0], "Armenia, Republic of");
  EXPECT_DOUBLE_EQ(table.capability[0].high, 3.0);
  EXPECT_DOUBLE_EQ(table.issues[1].position[0].high, 20.0);
  EXPECT_FALSE(table.risk_exponent[0].has_value());
  EXPECT_DOUBLE_EQ(table.risk_exponent[1]->low, 1.5);
  EXPECT_TRUE(table.has_ranges());
  EXPECT_EQ(table.issue_index("corridor"), 1U);
  const auto actors = table.actors(1);
  EXPECT_DOUBLE_EQ(actors[0].position, 15.0);  // midpoint of the range
  EXPECT_DOUBLE_EQ(actors[1].salience, 0.75);
  EXPECT_THROW((void)table.issue_index("corridr"), InputError);
}

TEST(ActorCsv, ReportsEveryProblemWithLineAndColumn) {
  const auto text = csv_errors(
      "name,capability,position,salience,colour\n"
      "A,1,2,0.5,red\n");
  EXPECT_NE(text.find("t.csv:1:35: error: unknown column 'colour'"), std::string::npos) << text;

  const auto many = csv_errors(
      "name,capability,position,salience\n"
      "A,0,2,0.5\n"        // capability 0
      "B,1,abc,0.5\n"      // not a number
      "C,1,nan,0.5\n"      // NaN
      "D,1,inf,0.5\n"      // infinity
      "A,1,3,0.5\n"        // duplicate name
      "E,1,,0.5\n"         // missing field
      "F,1,2\n"            // too few fields
      "G,1,2,-0.1\n"       // salience < 0
      "H,-2,2,0.5\n"       // negative capability
      "I,1,5..4,0.5\n");   // inverted range
  EXPECT_NE(many.find("t.csv:2:3: error: capability 0 is not positive"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:3:5: error: bad value: 'abc' is not a number"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:4:5: error: bad value: 'nan' is not a finite number"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:5:5: error: bad value: 'inf' is not a finite number"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:6:1: error: duplicate actor name 'A'"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:7:5: error: missing value"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:8:5: error: row has 3 fields but the header (line 1) has 4"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:9:7: error: salience -0.1 is outside"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:10:3: error: capability -2 is not positive"), std::string::npos) << many;
  EXPECT_NE(many.find("t.csv:11:5: error: bad value: range '5..4' has low > high"), std::string::npos) << many;
}

TEST(ActorCsv, SalienceAbove100AndPercentScale) {
  EXPECT_NE(csv_errors("name,capability,position,salience\nA,1,2,150\n").find("t.csv:2:7: error: salience 150"),
            std::string::npos);
  // One value above 1 puts the whole column on the 0..100 scale.
  const auto table = parse_actor_csv("name,capability,position,salience\nA,1,2,50\nB,1,3,1\n", "t.csv");
  EXPECT_DOUBLE_EQ(table.issues[0].salience[0].low, 0.5);
  EXPECT_DOUBLE_EQ(table.issues[0].salience[1].low, 0.01);
}

TEST(ActorCsv, BrokenHeaders) {
  EXPECT_NE(csv_errors("name,capabilty,position,salience\nA,1,2,0.5\n").find("did you mean 'capability'?"),
            std::string::npos);
  const auto missing = csv_errors("name,position_a,salience_b\n");
  EXPECT_NE(missing.find("missing column 'capability'"), std::string::npos) << missing;
  EXPECT_NE(missing.find("column 'position_a' has no 'salience_a'"), std::string::npos) << missing;
  EXPECT_NE(missing.find("column 'salience_b' has no 'position_b'"), std::string::npos) << missing;
  EXPECT_NE(csv_errors("name,capability,position,salience,name\n").find("t.csv:1:35: error: column 'name' appears twice"),
            std::string::npos);
  EXPECT_NE(csv_errors("name,capability,position,salience\n").find("no actors"), std::string::npos);
}

TEST(ActorCsv, EmptyAndBinaryFiles) {
  EXPECT_NE(csv_errors("").find("t.csv:1:1: error: the file is empty"), std::string::npos);
  EXPECT_NE(csv_errors(" \n\n").find("the file is empty"), std::string::npos);
  const std::string junk("PK\x03\x04\x00\x00garbage", 13);
  EXPECT_NE(csv_errors(junk).find("t.csv:1:3: error: binary byte 0x03"), std::string::npos);
  EXPECT_NE(csv_errors("name,capability,position,salience\n\"open,1,2,0.5\n").find("unterminated double quote"), std::string::npos);
}

TEST(ActorYaml, ReadsSingleAndMultiIssueTables) {
  const auto single = parse_actor_yaml(
      "actors:\n"
      "  - {name: A, capability: 100, position: 0, salience: 0.8}\n"
      "  - {name: B, capability: [50, 70], position: 30, salience: 0.5, risk: 1}\n",
      "t.yaml");
  EXPECT_EQ(single.names.size(), 2U);
  EXPECT_DOUBLE_EQ(single.capability[1].high, 70.0);
  EXPECT_DOUBLE_EQ(*single.actors(0)[1].risk_exponent, 1.0);
  const auto multi = parse_actor_yaml(
      "actors:\n"
      "  - name: A\n    capability: 1\n    position: {nk: 10, corridor: 20}\n    salience: {nk: 90, corridor: 50}\n"
      "  - name: B\n    capability: 2\n    position: {nk: 80, corridor: [60, 70]}\n    salience: {nk: 100, corridor: 20}\n",
      "t.yaml");
  ASSERT_EQ(multi.issues.size(), 2U);
  EXPECT_EQ(multi.issues[0].name, "nk");
  EXPECT_DOUBLE_EQ(multi.issues[0].salience[0].low, 0.9);
  EXPECT_DOUBLE_EQ(multi.issues[1].position[1].low, 60.0);
}

TEST(ActorYaml, ReportsProblemsWithLineAndColumn) {
  const auto text = yaml_errors(
      "actors:\n"
      "  - {name: A, capability: -1, position: 0, salience: 0.8}\n"
      "  - {name: A, capability: 1, positon: 3, salience: .nan}\n"
      "extra: 1\n");
  EXPECT_NE(text.find("t.yaml:2:27: error: capability -1 is not positive"), std::string::npos) << text;
  EXPECT_NE(text.find("t.yaml:3:30: error: unknown key 'positon'"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'position'?"), std::string::npos) << text;
  EXPECT_NE(text.find("t.yaml:3:5: error: missing 'position'"), std::string::npos) << text;
  EXPECT_NE(text.find("t.yaml:3:52: error: bad value: '.nan' is not a number"), std::string::npos) << text;
  EXPECT_NE(text.find("t.yaml:4:1: error: unknown key 'extra'"), std::string::npos) << text;
  EXPECT_NE(yaml_errors("actors: [\n").find("YAML syntax"), std::string::npos);
  EXPECT_NE(yaml_errors("").find("the file is empty"), std::string::npos);
  EXPECT_NE(yaml_errors("- 1\n").find("the top level is not a map"), std::string::npos);
}

TEST(ActorTableFile, MissingFile) {
  EXPECT_THROW((void)load_actor_table("/nonexistent/actors.csv"), InputError);
}

}  // namespace
}  // namespace arbiter::negotiation_input
