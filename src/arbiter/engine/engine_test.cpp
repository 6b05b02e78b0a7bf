#include "arbiter/engine/engine.hpp"

#include <gtest/gtest.h>

namespace arbiter::engine {
namespace {

const std::string example = std::string(ARBITER_SOURCE_DIR) + "/examples/two_rivals.yaml";

TEST(Engine, ExampleRunsAndIsDeterministic) {
  const auto scenario = scenario::load_scenario(example);
  const Engine engine(scenario, "");
  RunResult a, b;
  engine.simulate(rng::MasterSeed{7}, 3, a);
  engine.simulate(rng::MasterSeed{7}, 3, b);
  EXPECT_EQ(a.series, b.series);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.series.size(), engine.catalog().series.size() * engine.catalog().quarter_count());
}

}  // namespace
}  // namespace arbiter::engine

namespace arbiter::engine {
namespace {

std::size_t series_index(const OutputCatalog& catalog, const std::string& name) {
  for (std::size_t s = 0; s < catalog.series.size(); ++s) {
    if (catalog.series[s].name == name) return s;
  }
  ADD_FAILURE() << "no series " << name;
  return 0;
}

// The flagship's negotiation issue is coupled both ways: simulated strength sets the
// bargaining weights, and the forecast sets the concession that changes crisis outcomes.
TEST(Engine, KarabakhNegotiationChangesTheSettlementAndTheHazard) {
  const std::string path = std::string(ARBITER_SOURCE_DIR) + "/scenarios/karabakh/karabakh.yaml";
  const auto with = scenario::load_scenario(path);
  auto without = with;
  without.mechanisms.negotiation = false;
  const Engine on(with, ""), off(without, "");
  const auto concession = series_index(on.catalog(), "negotiated_concession.karabakh");
  const auto forecast = series_index(on.catalog(), "negotiation_forecast.status_of_karabakh");
  const auto hazard = series_index(on.catalog(), "war_hazard.karabakh");
  const std::size_t quarters = on.catalog().quarter_count();
  double concession_sum = 0.0, hazard_on = 0.0, hazard_off = 0.0;
  for (std::uint64_t run = 0; run < 20; ++run) {
    RunResult a, b;
    on.simulate(rng::MasterSeed{5}, run, a);
    off.simulate(rng::MasterSeed{5}, run, b);
    for (std::size_t t = 0; t < quarters; ++t) {
      concession_sum += a.at(concession, t, quarters);
      EXPECT_GE(a.at(forecast, t, quarters), 0.0);
      EXPECT_LE(a.at(forecast, t, quarters), 100.0);
      EXPECT_EQ(b.at(concession, t, quarters), 0.0);
      hazard_on += a.at(hazard, t, quarters);
      hazard_off += b.at(hazard, t, quarters);
    }
  }
  EXPECT_GT(concession_sum, 0.0);
  // A concession in reach widens what the defender can offer, so crises end in war less often.
  EXPECT_LT(hazard_on, hazard_off);
}

TEST(Engine, PoliciesShareTheBaselineDrawsBeforeTheirDate) {
  const auto scenario = scenario::load_scenario(example);
  const Engine baseline(scenario, ""), policy(scenario, "no_sales_to_challenger");
  RunResult a, b;
  baseline.simulate(rng::MasterSeed{9}, 4, a);
  policy.simulate(rng::MasterSeed{9}, 4, b);
  const std::size_t quarters = baseline.catalog().quarter_count();
  const auto revenue = series_index(baseline.catalog(), "deliveries.patron->south");
  // The policy starts in 2005Q1 (quarter 20): before it, the two runs are the same run.
  for (std::size_t t = 0; t < 20; ++t) EXPECT_EQ(a.at(revenue, t, quarters), b.at(revenue, t, quarters));
  double after_a = 0.0, after_b = 0.0;
  for (std::size_t t = 30; t < quarters; ++t) {
    after_a += a.at(revenue, t, quarters);
    after_b += b.at(revenue, t, quarters);
  }
  EXPECT_GT(after_a, 0.0);
  EXPECT_EQ(after_b, 0.0);
}

}  // namespace
}  // namespace arbiter::engine
