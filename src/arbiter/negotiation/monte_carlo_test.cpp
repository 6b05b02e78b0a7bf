#include "arbiter/negotiation/monte_carlo.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace arbiter::negotiation {
namespace {

std::vector<UncertainActor> uncertain_bdm1() {
  return {{"A", {90, 110}, {0, 5}, {0.8, 0.8}, {}},
          {"B", {60, 60}, {25, 35}, {0.4, 0.6}, {}},
          {"C", {40, 40}, {70, 70}, {0.9, 0.9}, {}},
          {"D", {70, 90}, {95, 100}, {0.3, 0.5}, {}}};
}

TEST(MonteCarlo, IdenticalForAnyThreadCount) {
  const auto actors = uncertain_bdm1();
  const auto one = negotiate_monte_carlo(actors, NegotiationOptions{}, {.seed = 7, .draws = 257, .threads = 1});
  const auto three = negotiate_monte_carlo(actors, NegotiationOptions{}, {.seed = 7, .draws = 257, .threads = 3});
  EXPECT_EQ(one.model.mean, three.model.mean);
  EXPECT_EQ(one.model.p05, three.model.p05);
  EXPECT_EQ(one.model.p95, three.model.p95);
  EXPECT_EQ(one.weighted_mean_baseline.p50, three.weighted_mean_baseline.p50);
  const auto other_seed = negotiate_monte_carlo(actors, NegotiationOptions{}, {.seed = 8, .draws = 257, .threads = 1});
  EXPECT_NE(one.weighted_mean_baseline.mean, other_seed.weighted_mean_baseline.mean);
}

TEST(MonteCarlo, FixedInputsReproduceTheDeterministicModel) {
  const std::vector<UncertainActor> fixed{{"A", {100, 100}, {0, 0}, {0.8, 0.8}, {}},
                                          {"B", {60, 60}, {30, 30}, {0.5, 0.5}, {}},
                                          {"C", {40, 40}, {70, 70}, {0.9, 0.9}, {}},
                                          {"D", {80, 80}, {100, 100}, {0.4, 0.4}, {}}};
  const auto mc = negotiate_monte_carlo(fixed, NegotiationOptions{.rounds = 1}, {.draws = 10, .threads = 2});
  EXPECT_DOUBLE_EQ(mc.model.p05, 0.0);  // BDM1: the median after round 1 is 0
  EXPECT_DOUBLE_EQ(mc.model.p95, 0.0);
  EXPECT_DOUBLE_EQ(mc.weighted_median_baseline.mean, 30.0);
  EXPECT_NEAR(mc.weighted_mean_baseline.mean, 37.191011, 1e-6);
}

TEST(MonteCarlo, DrawsStayInsideTheirRanges) {
  const auto actors = uncertain_bdm1();
  std::vector<double> c(4), x(4), s(4), r(4);
  for (std::uint64_t d = 0; d < 200; ++d) {
    draw_actors(actors, 3, d, c, x, s, r);
    for (std::size_t k = 0; k < 4; ++k) {
      EXPECT_GE(c[k], actors[k].capability.low);
      EXPECT_LE(c[k], actors[k].capability.high);
      EXPECT_GE(x[k], actors[k].position.low);
      EXPECT_LE(x[k], actors[k].position.high);
      EXPECT_TRUE(std::isnan(r[k]));
    }
  }
}

TEST(MonteCarlo, QuantilesInterpolateOrderStatistics) {
  std::vector<double> values{4, 0, 3, 1, 2};  // sorted 0..4: type-7 quantile p is 4p
  const auto d = summarise(values);
  EXPECT_DOUBLE_EQ(d.mean, 2.0);
  EXPECT_DOUBLE_EQ(d.p05, 0.2);
  EXPECT_DOUBLE_EQ(d.p25, 1.0);
  EXPECT_DOUBLE_EQ(d.p50, 2.0);
  EXPECT_DOUBLE_EQ(d.p95, 3.8);
}

}  // namespace
}  // namespace arbiter::negotiation
