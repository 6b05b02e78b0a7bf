#include "arbiter/rules/alliance.hpp"

#include <array>

#include <gtest/gtest.h>

namespace arbiter::rules {
namespace {

TEST(CasusFoederis, NeedsEveryCondition) {
  EXPECT_TRUE(casus_foederis(true, true, true));
  EXPECT_FALSE(casus_foederis(false, true, true));
  EXPECT_FALSE(casus_foederis(true, false, true));  // e.g. fighting outside members' territory
  EXPECT_FALSE(casus_foederis(true, true, false));
}

TEST(InterventionProbability, PicksTreatyOrDiscretionaryReliability) {
  EXPECT_DOUBLE_EQ(intervention_probability(true, 0.745, 0.1), 0.745);
  EXPECT_DOUBLE_EQ(intervention_probability(false, 0.745, 0.1), 0.1);
}

// AL1 (models.md §6.2; reliabilities 74.5% and 22% [V1], formula [D]): x_A = 1, x_B = 2,
// ally capability 3, Tullock m = 1.
TEST(AllianceAdjustedWinProbability, AL1) {
  EXPECT_NEAR(alliance_adjusted_win_probability(1, 2, 3, 0.745, 1.0), 0.581667, 1e-6);
  EXPECT_NEAR(alliance_adjusted_win_probability(1, 2, 3, 0.22, 1.0), 0.406667, 1e-6);
  const double outside_scope = intervention_probability(casus_foederis(true, false, true), 0.745, 0.1);
  EXPECT_NEAR(alliance_adjusted_win_probability(1, 2, 3, outside_scope, 1.0), 0.366667, 1e-6);
}

TEST(AllianceAdjustedWinProbability, Limits) {
  EXPECT_DOUBLE_EQ(alliance_adjusted_win_probability(1, 2, 3, 0.0, 2.0), 0.2);  // 1/(1+4)
  EXPECT_DOUBLE_EQ(alliance_adjusted_win_probability(1, 2, 3, 1.0, 2.0), 0.8);  // 16/(16+4)
}

TEST(AllianceAdjustedWinProbability, SubsetFormReducesToAL1) {
  const std::array<AllyContribution, 1> one{{{.capability = 3, .intervention_probability = 0.745, .joins_own_side = true}}};
  EXPECT_NEAR(alliance_adjusted_win_probability(1, 2, one, 1.0), 0.581667, 1e-6);
  EXPECT_DOUBLE_EQ(alliance_adjusted_win_probability(1, 2, {}, 1.0), 1.0 / 3.0);
}

TEST(AllianceAdjustedWinProbability, TwoAlliesOnOpposingSides) {
  // Own ally (capability 3, rho 0.5) and enemy ally (capability 2, rho 0.25), m = 1:
  // neither 0.375 * 1/3, own only 0.375 * 4/6, enemy only 0.125 * 1/5, both 0.125 * 4/8.
  const std::array<AllyContribution, 2> allies{{{.capability = 3, .intervention_probability = 0.5, .joins_own_side = true},
                                                {.capability = 2, .intervention_probability = 0.25, .joins_own_side = false}}};
  const double expected = 0.375 / 3.0 + 0.375 * 4.0 / 6.0 + 0.125 / 5.0 + 0.125 * 0.5;
  EXPECT_NEAR(alliance_adjusted_win_probability(1, 2, allies, 1.0), expected, 1e-12);
}

}  // namespace
}  // namespace arbiter::rules
