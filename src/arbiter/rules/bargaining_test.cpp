#include "arbiter/rules/bargaining.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace arbiter::rules {
namespace {

// F1 (models.md §4.1; range [V1], numbers [D]).
TEST(FearonRange, F1) {
  const BargainingRange range = fearon_range(0.6, 0.10, 0.15);
  EXPECT_NEAR(range.low, 0.50, 1e-12);
  EXPECT_NEAR(range.high, 0.75, 1e-12);
  EXPECT_FALSE(range.empty());
}

TEST(FearonRange, CostlessWarLeavesNoRangeAndRangeStaysInsideTheGood) {
  EXPECT_TRUE(fearon_range(0.6, 0.0, 0.0).empty());
  const BargainingRange near_certain = fearon_range(0.95, 0.1, 0.2);
  EXPECT_DOUBLE_EQ(near_certain.high, 1.0);
  EXPECT_NEAR(near_certain.low, 0.85, 1e-12);
}

// F2 (models.md §4.2, [D]): p=0.6, c_A=0.1, c_B ~ U[0, 0.4].
TEST(FearonUniformOffer, F2) {
  const RiskReturnOffer offer = fearon_uniform_offer(0.6, 0.1, 0.4);
  EXPECT_NEAR(offer.offer, 0.75, 1e-9);
  EXPECT_NEAR(offer.war_probability, 0.375, 1e-9);
  EXPECT_NEAR(offer.proposer_utility, 0.65625, 1e-9);
  EXPECT_GT(offer.proposer_utility, 0.60);  // better than the safe offer x = p
}

TEST(FearonUniformOffer, IsTheGridOptimum) {
  // Independent check: maximise U_A(x) = (1 - F(x-p)) x + F(x-p)(p - c_A) on a fine grid.
  const double p = 0.3;
  const double cost_a = 0.05;
  const double cost_max = 0.5;
  double best_x = 0.0;
  double best_u = -1.0;
  for (int i = 0; i <= 100000; ++i) {
    const double x = i * 1e-5;
    const double f = std::clamp((x - p) / cost_max, 0.0, 1.0);
    const double u = (1 - f) * x + f * (p - cost_a);
    if (u > best_u) {
      best_u = u;
      best_x = x;
    }
  }
  const RiskReturnOffer offer = fearon_uniform_offer(p, cost_a, cost_max);
  EXPECT_NEAR(offer.offer, best_x, 1e-5);
  EXPECT_NEAR(offer.proposer_utility, best_u, 1e-9);
}

TEST(FearonUniformOffer, NoRiskWhenOwnCostExceedsRivalsMaximum) {
  const RiskReturnOffer offer = fearon_uniform_offer(0.6, 0.5, 0.4);
  EXPECT_DOUBLE_EQ(offer.offer, 0.6);
  EXPECT_DOUBLE_EQ(offer.war_probability, 0.0);
  EXPECT_DOUBLE_EQ(offer.proposer_utility, 0.6);
}

// P1-P3 (models.md §4.3, [D]).
TEST(PowellOneStep, P1LargeShiftMeansWarUnderBothFlags) {
  const PowellFlags f = powell_one_step(0.9, 0.6, 0.3, 0.1, 0.1);
  EXPECT_NEAR(f.lhs, 0.27, 1e-12);
  EXPECT_NEAR(f.rhs_robust, 0.23, 1e-12);
  EXPECT_NEAR(f.rhs_rising, 0.05, 1e-12);
  EXPECT_TRUE(f.war_robust);
  EXPECT_TRUE(f.war_rising);
}

TEST(PowellOneStep, P2SmallShiftIsANearMiss) {
  const PowellFlags f = powell_one_step(0.9, 0.6, 0.55, 0.1, 0.1);
  EXPECT_NEAR(f.lhs, 0.045, 1e-12);
  EXPECT_NEAR(f.rhs_robust, 0.23, 1e-12);
  EXPECT_NEAR(f.rhs_rising, 0.05, 1e-12);
  EXPECT_FALSE(f.war_robust);
  EXPECT_FALSE(f.war_rising);
}

TEST(PowellOneStep, P3SeparatesTheTwoFlags) {
  const PowellFlags f = powell_one_step(0.95, 0.6, 0.5, 0.05, 0.05);
  EXPECT_NEAR(f.lhs, 0.095, 1e-12);
  EXPECT_NEAR(f.rhs_robust, 0.1175, 1e-12);
  EXPECT_NEAR(f.rhs_rising, 0.0225, 1e-12);
  EXPECT_FALSE(f.war_robust);
  EXPECT_TRUE(f.war_rising);
}

// P4 (models.md §4.3, [D]): quarterly, delta_q = 0.9^(1/4), c_D = c_S = 0.1.
TEST(QuarterlyDiscount, MatchesConvention) { EXPECT_NEAR(quarterly_discount(0.9), 0.974004, 1e-6); }

TEST(CommitmentGap, P4JumpOpensAOneQuarterWindow) {
  std::array<double, 13> path{};
  path.fill(0.3);
  path[0] = 0.6;
  const CommitmentGap g = commitment_gap(path, 0.1, 0.1, quarterly_discount(0.9));
  EXPECT_EQ(g.window_quarters, 1);
  EXPECT_NEAR(0.5 - g.gap, 0.415598, 1e-6);  // the K = 1 bound
  EXPECT_GT(g.gap, 0.0);
}

TEST(CommitmentGap, P4GradualDeclineStaysBelowTheBound) {
  std::array<double, 13> path{};
  for (std::size_t k = 0; k < path.size(); ++k) path[k] = 0.6 - 0.025 * static_cast<double>(k);
  const double delta_q = quarterly_discount(0.9);
  // The bound at each K: from 0.683449 at K=1 down to 0.562600 at K=12.
  const CommitmentGap one = commitment_gap(std::span(path).first(2), 0.1, 0.1, delta_q);
  EXPECT_NEAR(0.5 - one.gap, 0.683449, 1e-6);
  const CommitmentGap all = commitment_gap(path, 0.1, 0.1, delta_q);
  EXPECT_EQ(all.window_quarters, 12);
  EXPECT_NEAR(0.5 - all.gap, 0.562600, 1e-6);
  EXPECT_LT(all.gap, 0.0);
}

TEST(CommitmentGap, OneStepVersionAgreesWithPowellRobustFlag) {
  // For H = 1 the gap is lhs - rhs_robust of the one-step test.
  for (const double pi_next : {0.3, 0.55, 0.45}) {
    const std::array<double, 2> path{0.6, pi_next};
    const PowellFlags f = powell_one_step(0.9, 0.6, pi_next, 0.1, 0.1);
    EXPECT_NEAR(commitment_gap(path, 0.1, 0.1, 0.9).gap, f.lhs - f.rhs_robust, 1e-12) << pi_next;
  }
}

TEST(CommitmentGap, NoHorizonMeansNoGap) {
  const std::array<double, 1> path{0.6};
  const CommitmentGap g = commitment_gap(path, 0.1, 0.1, 0.97);
  EXPECT_TRUE(std::isinf(g.gap) && g.gap < 0);
  EXPECT_EQ(g.window_quarters, 0);
}

TEST(LogisticHazard, ShapeAndLimits) {
  EXPECT_DOUBLE_EQ(logistic_hazard(0.0, 0.2, 0.02), 0.1);
  EXPECT_NEAR(logistic_hazard(0.02, 0.2, 0.02), 0.2 / (1 + std::exp(-1.0)), 1e-15);
  EXPECT_NEAR(logistic_hazard(0.02, 0.2, 0.02) + logistic_hazard(-0.02, 0.2, 0.02), 0.2, 1e-15);
  EXPECT_DOUBLE_EQ(logistic_hazard(-std::numeric_limits<double>::infinity(), 0.2, 0.02), 0.0);
  EXPECT_DOUBLE_EQ(logistic_hazard(-100.0, 0.2, 0.01), 0.0);
  EXPECT_DOUBLE_EQ(logistic_hazard(0.3, 0.2, 0.0), 0.2);
  EXPECT_DOUBLE_EQ(logistic_hazard(-0.3, 0.2, 0.0), 0.0);
}

}  // namespace
}  // namespace arbiter::rules
