#include "arbiter/rules/alliance.hpp"

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

}  // namespace
}  // namespace arbiter::rules
