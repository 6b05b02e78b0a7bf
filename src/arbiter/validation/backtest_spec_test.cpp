#include "arbiter/validation/backtest_spec.hpp"

#include <string>

#include <gtest/gtest.h>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::validation {
namespace {

const std::string good = R"(name: test
scenario: s.yaml
rivalry: r
base_rates: b.csv
template: t.md.in
output: t.md
runs: 50
seed: 7
calibration:
  parameters:
    - {path: rivalries.r.war_cost_challenger, grid: [0.2, 0.4]}
  targets:
    - id: onset
      description: war onsets
      kind: annual_event_probability
      first_year: 1995
      events: [full_war, offensive]
      base_rate: {event: war_onset_ucdp, window_first_year: 1946, column: p_onset_per_dyad_year}
origins:
  - origin: 2015Q1
    questions:
      - id: q1
        question: a war
        events: [full_war]
        territory_change_below: -0.01
        from: 2015Q1
        to: 2020Q4
        happened: true
        outcome: it happened
        facts: [KF062]
        base_rate: {event: war_onset_ucdp, window_first_year: 1946, column: p_onset_at_risk}
)";

TEST(BacktestSpec, ReadsEveryField) {
  const BacktestSpec spec = parse_backtest_spec(good, "spec.yaml");
  EXPECT_EQ(spec.runs, 50u);
  EXPECT_EQ(spec.seed, 7u);
  ASSERT_EQ(spec.parameters.size(), 1u);
  EXPECT_EQ(spec.parameters[0].grid, (std::vector<double>{0.2, 0.4}));
  ASSERT_EQ(spec.targets.size(), 1u);
  EXPECT_EQ(spec.targets[0].kind, CalibrationTarget::Kind::AnnualEventProbability);
  EXPECT_EQ(spec.targets[0].base_rate.window_first_year, 1946);
  ASSERT_EQ(spec.origins.size(), 1u);
  const Question& q = spec.origins[0].questions.at(0);
  EXPECT_TRUE(q.happened);
  EXPECT_EQ(q.territory_change_below, -0.01);
  EXPECT_EQ(q.facts, std::vector<std::string>{"KF062"});
  EXPECT_EQ(q.base_rate.column, "p_onset_at_risk");
}

std::vector<diagnostics::Diagnostic> problems_of(const std::string& text) {
  try {
    (void)parse_backtest_spec(text, "spec.yaml");
  } catch (const InputError& error) {
    return error.diagnostics();
  }
  return {};
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(BacktestSpec, AQuestionBeforeItsOriginIsHindsight) {
  const auto problems = problems_of(replaced(good, "from: 2015Q1", "from: 2014Q4"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("hindsight"), std::string::npos);
  EXPECT_EQ(problems[0].location.line, 26);  // the question's from:
}

TEST(BacktestSpec, AnOutcomeWithoutEvidenceIsRejected) {
  const auto problems = problems_of(replaced(good, "        facts: [KF062]\n", ""));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("cites no evidence"), std::string::npos);
}

TEST(BacktestSpec, ReportsEveryProblemWithItsLocation) {
  std::string text = replaced(good, "events: [full_war]", "events: [full_wars]");
  text = replaced(text, "runs: 50", "runs: -3");
  text = replaced(text, "column: p_onset_at_risk", "column: onsets");
  text = replaced(text, "happened: true", "happend: true");
  const auto problems = problems_of(text);
  // full_wars, runs, column, the unknown key 'happend' and the then missing 'happened'.
  ASSERT_EQ(problems.size(), 5u);
  for (const auto& p : problems) {
    EXPECT_EQ(p.location.file, "spec.yaml");
    EXPECT_GT(p.location.line, 0);
  }
}

}  // namespace
}  // namespace arbiter::validation
