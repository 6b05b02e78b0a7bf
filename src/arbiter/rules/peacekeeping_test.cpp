#include "arbiter/rules/peacekeeping.hpp"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

namespace arbiter::rules {
namespace {

// PK1 (models.md §5.2, formulas [D], HR range [V2]): constant hazard 0.20 per year.
struct Pk1Row {
  double hazard_ratio;
  double quarterly;
  double five_year_survival;
};
constexpr std::array<Pk1Row, 4> pk1{{{1.0, 0.048771, 0.367879},
                                     {0.5, 0.024690, 0.606531},
                                     {0.25, 0.012422, 0.778801},
                                     {0.15, 0.007472, 0.860708}}};

TEST(Peacekeeping, PK1ConstantHazard) {
  for (const Pk1Row& row : pk1) {
    EXPECT_NEAR(quarterly_breakdown_constant(0.20, row.hazard_ratio), row.quarterly, 1e-6) << row.hazard_ratio;
    EXPECT_NEAR(survival_constant(0.20, row.hazard_ratio, 5.0), row.five_year_survival, 1e-6) << row.hazard_ratio;
  }
}

TEST(Peacekeeping, QuarterlyProbabilitiesCompoundToSurvival) {
  const double quarterly = quarterly_breakdown_constant(0.2, 0.5);
  EXPECT_NEAR(std::pow(1.0 - quarterly, 20), survival_constant(0.2, 0.5, 5.0), 1e-12);
}

// PK2 (models.md §5.2, [D]): Weibull lambda = 0.2, kappa = 0.7.
TEST(Peacekeeping, PK2WeibullHazard) {
  EXPECT_NEAR(quarterly_breakdown_weibull(0.2, 0.7, 1, 1.0), 0.115580, 1e-6);
  EXPECT_NEAR(quarterly_breakdown_weibull(0.2, 0.7, 4, 1.0), 0.057407, 1e-6);
  EXPECT_NEAR(quarterly_breakdown_weibull(0.2, 0.7, 20, 1.0), 0.034654, 1e-6);
  EXPECT_DOUBLE_EQ(quarterly_breakdown_weibull(0.2, 0.7, 0, 1.0), 0.0);
}

TEST(Peacekeeping, WeibullWithShapeOneIsTheConstantHazard) {
  for (const int quarter : {1, 7, 30}) {
    EXPECT_NEAR(quarterly_breakdown_weibull(0.2, 1.0, quarter, 0.4), quarterly_breakdown_constant(0.2, 0.4), 1e-12);
  }
}

TEST(Peacekeeping, WeibullSurvivalOverQuartersIsExpOfCumulativeHazard) {
  double survival = 1.0;
  for (int quarter = 1; quarter <= 12; ++quarter) survival *= 1.0 - quarterly_breakdown_weibull(0.2, 0.7, quarter, 0.5);
  EXPECT_NEAR(survival, std::exp(-0.5 * std::pow(0.2 * 3.0, 0.7)), 1e-12);
}

// TW1 (models.md §5.2, [D]): p_alone = 0.7, p_vs_coalition = 0.2, V = 1, c_A = 0.1, c_extra = 0.2.
TEST(Peacekeeping, TW1TripwireUtility) {
  EXPECT_NEAR(tripwire_attack_utility(0.7, 0.2, 1.0, 0.1, 0.0, 0.2), 0.600, 1e-12);
  EXPECT_NEAR(tripwire_attack_utility(0.7, 0.2, 1.0, 0.1, 0.745, 0.2), 0.0785, 1e-12);
  EXPECT_NEAR(tripwire_attack_utility(0.7, 0.2, 1.0, 0.1, 0.22, 0.2), 0.446, 1e-12);
}

}  // namespace
}  // namespace arbiter::rules
