#include "arbiter/rules/contest.hpp"

#include <array>

#include <gtest/gtest.h>

namespace arbiter::rules {
namespace {

// Oracles from models.md §3.2 (CSF1, tagged [D], exact arithmetic).
TEST(Tullock, MatchesPublishedRatioCases) {
  EXPECT_NEAR(tullock(3, 1, 1.0), 0.75, 1e-12);
  EXPECT_NEAR(tullock(3, 1, 2.0), 0.90, 1e-12);
  EXPECT_NEAR(tullock(3, 1, 0.5), 0.633975, 1e-6);
}

TEST(Tullock, IsScaleInvariant) {
  EXPECT_NEAR(tullock(30, 10, 1.0), 0.75, 1e-12);
  EXPECT_NEAR(tullock(3e200, 1e200, 3.0), tullock(3, 1, 3.0), 1e-12);  // no overflow in x^m
}

TEST(Tullock, EdgeCases) {
  EXPECT_DOUBLE_EQ(tullock(0, 0, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(tullock(5, 0, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(tullock(0, 5, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(tullock(2, 2, 2.7), 0.5);
}

TEST(Tullock, IsSymmetric) {
  for (const double m : {0.3, 1.0, 2.0, 3.0}) {
    for (const auto& [x, y] : {std::array{3.0, 1.0}, std::array{0.2, 7.0}, std::array{0.0, 4.0}}) {
      EXPECT_NEAR(tullock(x, y, m) + tullock(y, x, m), 1.0, 1e-12) << x << ' ' << y << ' ' << m;
    }
  }
}

TEST(LogisticContest, MatchesOraclesAndIsNotScaleInvariant) {
  EXPECT_NEAR(logistic_contest(3, 1, 0.5), 0.731059, 1e-6);
  EXPECT_NEAR(logistic_contest(30, 10, 0.5), 0.999955, 1e-6);
  EXPECT_DOUBLE_EQ(logistic_contest(0, 0, 0.5), 0.5);
  EXPECT_NEAR(logistic_contest(3, 1, 0.5) + logistic_contest(1, 3, 0.5), 1.0, 1e-12);
  EXPECT_GT(logistic_contest(0, 1, 0.5), 0.0);  // zero effort still has a chance
}

TEST(TullockShare, ReducesToTwoPartyFormAndSumsToOne) {
  const std::array<double, 2> two{3, 1};
  EXPECT_NEAR(tullock_share(two, 0, 2.0), 0.90, 1e-12);
  const std::array<double, 3> three{1, 2, 3};
  EXPECT_NEAR(tullock_share(three, 2, 1.0), 0.5, 1e-12);
  EXPECT_NEAR(tullock_share(three, 0, 2.0), 1.0 / 14.0, 1e-12);
  double total = 0.0;
  for (std::size_t i = 0; i < three.size(); ++i) total += tullock_share(three, i, 1.7);
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(TullockShare, AllZeroIsUniformAndOutOfRangeIsZero) {
  const std::array<double, 4> none{0, 0, 0, 0};
  EXPECT_DOUBLE_EQ(tullock_share(none, 1, 1.0), 0.25);
  EXPECT_DOUBLE_EQ(tullock_share(none, 4, 1.0), 0.0);
  const std::array<double, 2> one_sided{0, 2};
  EXPECT_DOUBLE_EQ(tullock_share(one_sided, 0, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(tullock_share(one_sided, 1, 1.0), 1.0);
}

}  // namespace
}  // namespace arbiter::rules
