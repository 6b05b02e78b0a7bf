#include "arbiter/rules/arms_trade.hpp"

#include <array>
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

namespace arbiter::rules {
namespace {

// AT1 (models.md §8.2, [D]).
TEST(ContestDemand, AT1DiscountToSideTwo) {
  const ContestDemand d = contest_demand(1, 1, 1, 0.7);
  EXPECT_NEAR(d.q1, 0.242215, 1e-6);
  EXPECT_NEAR(d.q2, 0.346021, 1e-6);
  EXPECT_NEAR(d.p1, 0.411765, 1e-6);
  EXPECT_NEAR(d.revenue, 0.484429, 1e-6);
  EXPECT_NEAR(d.revenue, 2 * d.p1 * (1 - d.p1), 1e-12);
}

TEST(ContestDemand, AT1EqualPricesAndValues) {
  const ContestDemand d = contest_demand(1, 1, 1, 1);
  EXPECT_NEAR(d.q1, 0.25, 1e-12);
  EXPECT_NEAR(d.q2, 0.25, 1e-12);
  EXPECT_NEAR(d.p1, 0.5, 1e-12);
  EXPECT_NEAR(d.revenue, 0.5, 1e-12);
}

TEST(ContestDemand, AT1DoublingPricesHalvesQuantitiesNotRevenue) {
  const ContestDemand d = contest_demand(1, 1, 2, 2);
  EXPECT_NEAR(d.q1, 0.125, 1e-12);
  EXPECT_NEAR(d.q2, 0.125, 1e-12);
  EXPECT_NEAR(d.revenue, 0.5, 1e-12);
}

TEST(ContestDemand, AT1UnequalValues) {
  const ContestDemand d = contest_demand(1, 2, 1, 1);
  EXPECT_NEAR(d.q1, 0.222222, 1e-6);
  EXPECT_NEAR(d.q2, 0.444444, 1e-6);
  EXPECT_NEAR(d.p1, 0.333333, 1e-6);
  EXPECT_NEAR(d.revenue, 0.666667, 1e-6);
}

TEST(ContestDemand, QuantitiesAreMutualBestResponses) {
  // Recipient 1's payoff q1/(q1+q2) V1 - P1 q1 has derivative 0 at the equilibrium.
  const double v1 = 1.3, v2 = 0.8, price1 = 0.9, price2 = 1.4;
  const ContestDemand d = contest_demand(v1, v2, price1, price2);
  const double sum = d.q1 + d.q2;
  EXPECT_NEAR(d.q2 / (sum * sum) * v1 - price1, 0.0, 1e-12);
  EXPECT_NEAR(d.q1 / (sum * sum) * v2 - price2, 0.0, 1e-12);
  EXPECT_EQ(contest_demand(0, 0, 1, 1).p1, 0.5);
}

// CR1 (models.md §8.3, [D]): r_c = 3%, r_m = 8%, N = 10.
TEST(Credit, CR1ConcessionalLoan) {
  EXPECT_NEAR(loan_present_value_ratio(0.03, 0.08, 10), 0.786626, 1e-6);
  EXPECT_NEAR(grant_element(0.03, 0.08, 10), 0.213374, 1e-6);
  EXPECT_NEAR(grant_element(0.05, 0.05, 10), 0.0, 1e-15);
}

TEST(Credit, AnnuityFactor) {
  EXPECT_NEAR(annuity_factor(0.08, 10), (1 - std::pow(1.08, -10)) / 0.08, 1e-12);
  EXPECT_DOUBLE_EQ(annuity_factor(0.0, 7), 7.0);
  EXPECT_NEAR(annuity_factor(1e-12, 7), 7.0, 1e-9);  // continuous at r = 0
}

TEST(Amortise, LevelPaymentMatchesClosedFormAndClearsTheLoan) {
  const double loan = 1000.0;
  const double r = 0.02;
  const LoanSchedule s = amortise(loan, r, 3, 12);
  ASSERT_EQ(s.payment.size(), 15U);
  for (int i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(s.payment[i], 20.0);
    EXPECT_DOUBLE_EQ(s.principal_repaid[i], 0.0);
    EXPECT_DOUBLE_EQ(s.outstanding[i], loan);
  }
  const double closed_form = loan * r / (1 - std::pow(1 + r, -12));
  for (std::size_t i = 3; i < 15; ++i) {
    EXPECT_NEAR(s.payment[i], closed_form, 1e-9) << i;
    EXPECT_NEAR(s.payment[i], s.interest[i] + s.principal_repaid[i], 1e-12) << i;
  }
  EXPECT_EQ(s.outstanding.back(), 0.0);
  EXPECT_NEAR(std::accumulate(s.principal_repaid.begin(), s.principal_repaid.end(), 0.0), loan, 1e-9);
}

TEST(Amortise, ZeroRateRepaysInEqualParts) {
  const LoanSchedule s = amortise(900.0, 0.0, 0, 9);
  ASSERT_EQ(s.payment.size(), 9U);
  for (std::size_t i = 0; i < 9; ++i) {
    EXPECT_NEAR(s.payment[i], 100.0, 1e-12);
    EXPECT_EQ(s.interest[i], 0.0);
    EXPECT_NEAR(s.outstanding[i], 900.0 - 100.0 * static_cast<double>(i + 1), 1e-9);
  }
  EXPECT_EQ(s.outstanding.back(), 0.0);
}

// DV1 (models.md §8.4, [D]).
TEST(LogitShares, DV1) {
  const std::array<double, 3> utilities{1.0, 0.8, 0.5};
  std::array<double, 3> shares{};
  logit_shares(utilities, 3.0, shares);
  EXPECT_NEAR(shares[0], 0.564353, 1e-6);
  EXPECT_NEAR(shares[1], 0.309723, 1e-6);
  EXPECT_NEAR(shares[2], 0.125924, 1e-6);
}

TEST(LogitShares, HugeUtilitiesDoNotOverflow) {
  const std::array<double, 2> utilities{1000.0, 1000.0 - std::log(3.0)};
  std::array<double, 2> shares{};
  logit_shares(utilities, 1.0, shares);
  EXPECT_NEAR(shares[0], 0.75, 1e-12);
  EXPECT_NEAR(shares[1], 0.25, 1e-12);
}

TEST(Herfindahl, Example) {
  const std::array<double, 3> shares{0.6, 0.3, 0.1};
  EXPECT_NEAR(herfindahl(shares), 0.46, 1e-12);
  const std::array<double, 1> monopoly{1.0};
  EXPECT_DOUBLE_EQ(herfindahl(monopoly), 1.0);
}

}  // namespace
}  // namespace arbiter::rules
