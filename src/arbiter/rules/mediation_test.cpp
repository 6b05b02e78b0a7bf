#include "arbiter/rules/mediation.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace arbiter::rules {
namespace {

// K1 (models.md §5.1, model and numbers [D]).
constexpr KyddParams k1{.p = 0.5,
                        .cost_a = 0.1,
                        .cost_high = 0.05,
                        .cost_low = 0.3,
                        .prior_high = 0.5,
                        .accuracy = 0.8,
                        .war_aversion = 0.1};

TEST(Kydd, K1Posteriors) {
  EXPECT_NEAR(kydd_posterior_after_low(k1), 0.2, 1e-12);
  EXPECT_NEAR(kydd_posterior_after_high(k1), 0.8, 1e-12);
}

TEST(Kydd, K1DemandChoices) {
  EXPECT_TRUE(kydd_prefers_risky_demand(k1.prior_high, k1));
  EXPECT_TRUE(kydd_prefers_risky_demand(kydd_posterior_after_low(k1), k1));
  EXPECT_FALSE(kydd_prefers_risky_demand(kydd_posterior_after_high(k1), k1));
}

TEST(Kydd, K1GainFromLow) {
  const double q_low = kydd_posterior_after_low(k1);
  EXPECT_NEAR(kydd_gain_from_low(q_low, 0.5, k1), -0.035, 1e-12);
  EXPECT_NEAR(kydd_gain_from_low(q_low, 0.6, k1), 0.002, 1e-12);
  EXPECT_NEAR(kydd_gain_from_low(q_low, 0.7, k1), 0.039, 1e-12);
}

TEST(Kydd, K1CredibilityBounds) {
  const Credibility c = kydd_credibility_bounds(k1);
  EXPECT_NEAR(c.bias_low, 0.594595, 1e-6);
  EXPECT_TRUE(std::isinf(c.bias_high) && c.bias_high > 0);  // the "high" condition is slack
  EXPECT_FALSE(kydd_is_credible(0.5, k1));  // an unbiased mediator is not believed
  EXPECT_FALSE(kydd_is_credible(0.59, k1));
  EXPECT_TRUE(kydd_is_credible(0.6, k1));
  EXPECT_TRUE(kydd_is_credible(1.0, k1));
  // Delta after "high" is negative for every bias in [0, 1].
  for (const double bias : {0.0, 0.5, 1.0}) EXPECT_LT(kydd_gain_from_low(0.8, bias, k1), 0.0);
}

TEST(Kydd, K1WarProbability) {
  EXPECT_NEAR(kydd_war_probability(false, k1), 0.5, 1e-12);
  EXPECT_NEAR(kydd_war_probability(true, k1), 0.1, 1e-12);
}

TEST(Kydd, PerfectlyInformedMediatorNeedsOnlyABiasOfOneHalf) {
  KyddParams informed = k1;
  informed.accuracy = 1.0 - 1e-12;
  EXPECT_NEAR(kydd_credibility_bounds(informed).bias_low, 0.5, 1e-9);
  informed.accuracy = 0.9;
  EXPECT_GT(kydd_credibility_bounds(informed).bias_low, 0.5);
}

TEST(Kydd, BoundsAgreeWithDirectCheckOnAGrid) {
  for (const double accuracy : {0.6, 0.75, 0.9}) {
    for (const double omega : {0.0, 0.1, 0.3}) {
      KyddParams params = k1;
      params.accuracy = accuracy;
      params.war_aversion = omega;
      const Credibility c = kydd_credibility_bounds(params);
      for (int i = 0; i <= 100; ++i) {
        const double bias = i / 100.0;
        const bool inside = bias >= c.bias_low && bias <= c.bias_high;
        EXPECT_EQ(inside, kydd_is_credible(bias, params)) << accuracy << ' ' << omega << ' ' << bias;
      }
    }
  }
}

TEST(Kydd, SafeOnThePriorMeansNoWarWithoutMediation) {
  KyddParams resolved_likely = k1;
  resolved_likely.prior_high = 0.9;  // (0.1)(0.25) < (0.9)(0.15): A demands safely
  EXPECT_FALSE(kydd_prefers_risky_demand(0.9, resolved_likely));
  EXPECT_DOUBLE_EQ(kydd_war_probability(false, resolved_likely), 0.0);
}

}  // namespace
}  // namespace arbiter::rules
