#include "arbiter/validation/scoring.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace arbiter::validation {
namespace {

TEST(Brier, IsTheSquaredDistanceToTheOutcome) {
  EXPECT_DOUBLE_EQ(brier_score(0.5, true), 0.25);
  EXPECT_DOUBLE_EQ(brier_score(0.5, false), 0.25);
  EXPECT_NEAR(brier_score(0.8, true), 0.04, 1e-15);
  EXPECT_NEAR(brier_score(0.8, false), 0.64, 1e-15);
  EXPECT_DOUBLE_EQ(brier_score(1.0, true), 0.0);
  EXPECT_DOUBLE_EQ(brier_score(0.0, true), 1.0);
}

TEST(Brier, RejectsProbabilitiesOutsideTheUnitInterval) {
  EXPECT_ANY_THROW((void)brier_score(1.2, true));
  EXPECT_ANY_THROW((void)brier_score(-0.1, false));
}

TEST(FrequencyStandardError, IsTheBinomialErrorInsideTheInterval) {
  EXPECT_DOUBLE_EQ(frequency_standard_error(0.3, 100), std::sqrt(0.3 * 0.7 / 100.0));
  EXPECT_DOUBLE_EQ(frequency_standard_error(0.5, 400), 0.025);
}

TEST(FrequencyStandardError, AnUnseenEventStillHasAnError) {
  // 0 of 99 runs: counted as 1 in 100, so the error is sqrt(0.01 * 0.99 / 99) = 0.01.
  EXPECT_NEAR(frequency_standard_error(0.0, 99), 0.01, 1e-15);
  EXPECT_NEAR(frequency_standard_error(1.0, 99), 0.01, 1e-15);
}

TEST(BrierStandardError, FollowsTheDeltaMethod) {
  // dB/dp = 2 (p - o): at p = 0.2, o = 1 the slope is 1.6.
  EXPECT_NEAR(brier_standard_error(0.2, true, 0.01), 0.016, 1e-15);
  // At p = o the slope vanishes and the second-order term se^2 remains.
  EXPECT_NEAR(brier_standard_error(0.0, false, 0.01), 1e-4, 1e-18);
}

TEST(ProbabilityWithin, CompoundsAnnualChances) {
  EXPECT_DOUBLE_EQ(probability_within(0.1, 1.0), 0.1);
  EXPECT_NEAR(probability_within(0.1, 2.0), 0.19, 1e-15);
  EXPECT_NEAR(probability_within(0.017, 6.0), 1.0 - std::pow(0.983, 6.0), 1e-15);
  EXPECT_DOUBLE_EQ(probability_within(0.3, 0.0), 0.0);
  // A quarter-year window of a 1-in-2 annual chance: 1 - 0.5^0.25.
  EXPECT_NEAR(probability_within(0.5, 0.25), 1.0 - std::pow(0.5, 0.25), 1e-15);
}

}  // namespace
}  // namespace arbiter::validation
