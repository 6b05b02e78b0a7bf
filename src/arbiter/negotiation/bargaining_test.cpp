#include "arbiter/negotiation/bargaining.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace arbiter::negotiation {
namespace {

// models.md §7.3, oracle BDM1 [D]: four actors, Q = T = 1, range 100, §7.2 default variants.
std::vector<NegotiationActor> bdm1_actors() {
  return {{"A", 100, 0, 0.8, {}}, {"B", 60, 30, 0.5, {}}, {"C", 40, 70, 0.9, {}}, {"D", 80, 100, 0.4, {}}};
}

struct Bdm1 : ::testing::Test {
  std::vector<double> capability{100, 60, 40, 80}, position{0, 30, 70, 100}, salience{0.8, 0.5, 0.9, 0.4};
  ActorArrays arrays{capability, position, salience};
  NegotiationOptions options{.rounds = 3};
};

constexpr double tol = 1e-6;

TEST_F(Bdm1, ForecastsOfTheInitialPositions) {
  const Bargaining model(arrays, options);
  EXPECT_DOUBLE_EQ(model.forecast(), 30.0);
  EXPECT_NEAR(weighted_mean(position, model.weights()), 37.191011, tol);
  EXPECT_DOUBLE_EQ(model.issue_range(), 100.0);
}

TEST_F(Bdm1, WinProbabilities) {
  Bargaining model(arrays, options);
  const std::vector<double> ones(4, 1.0);
  const double expected[4][4] = {{0, 0.449438, 0.553471, 0.664740},
                                 {0.550562, 0, 0.617978, 0.747573},
                                 {0.446529, 0.382022, 0, 0.820225},
                                 {0.335260, 0.252427, 0.179775, 0}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(model.probability(i, j, ones), expected[i][j], tol) << i << "," << j;
  EXPECT_NEAR(model.probability(0, 1, ones), 2400.0 / 5340.0, 1e-12);  // the hand check in §7.3
}

TEST_F(Bdm1, ExpectedUtilitiesWithRiskNeutrality) {
  Bargaining model(arrays, options);
  const std::vector<double> ones(4, 1.0);
  const double expected[4][4] = {{0, 0.269663, 0.274747, 1.463584},
                                 {0.168539, 0, 0.249888, 1.117282},
                                 {0.160225, 0.305618, 0, 0.513708},
                                 {-0.127168, 0.353398, -0.285843, 0}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      if (i == j) continue;
      EXPECT_NEAR(model.expected_utility(i, j, 1.0, model.probability(i, j, ones), 30.0), expected[i][j], tol)
          << i << "," << j;
    }
}

TEST_F(Bdm1, DangersAndRiskExponents) {
  Bargaining model(arrays, options);
  const auto danger = model.dangers();
  const double expected_danger[4] = {0.201597, 0.928679, 0.238792, 3.094573};
  const double expected_r[4] = {2.0, 1.397455, 1.961919, 0.5};
  const auto r = model.risk_exponents();
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(danger[k], expected_danger[k], tol) << k;
    EXPECT_NEAR(r[k], expected_r[k], tol) << k;
  }
}

TEST_F(Bdm1, RoundOneOffersAndMoves) {
  const auto result = negotiate(bdm1_actors(), options);
  ASSERT_EQ(result.rounds.size(), 3U);
  const auto& round = result.rounds[0];
  using Kind = RoundTrace::PairOutcome::Kind;
  struct Offer { int from, to; double a, b; Kind kind; double move; };
  const Offer expected[] = {{0, 1, 0.139922, 0.246815, Kind::Confrontation, -30},
                            {2, 1, 0.194979, 0.253715, Kind::Confrontation, 40},
                            {0, 3, 0.701259, 2.292011, Kind::Confrontation, -100},
                            {1, 3, 0.479845, 1.063295, Kind::Confrontation, -70},
                            {2, 3, -0.171730, 0.400262, Kind::Compromise, -12.871316}};
  ASSERT_EQ(round.outcomes.size(), std::size(expected));
  for (std::size_t k = 0; k < std::size(expected); ++k) {
    const auto& got = round.outcomes[k];
    EXPECT_EQ(got.from, expected[k].from) << k;
    EXPECT_EQ(got.to, expected[k].to) << k;
    EXPECT_EQ(got.kind, expected[k].kind) << k;
    EXPECT_NEAR(got.receiver_utility, expected[k].a, tol) << k;
    EXPECT_NEAR(got.sender_utility, expected[k].b, tol) << k;
    EXPECT_NEAR(got.move, expected[k].move, tol) << k;
  }
  const double after[4] = {0, 0, 70, 87.128684};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(round.positions[k], after[k], tol) << k;
  EXPECT_DOUBLE_EQ(round.median, 0.0);
  EXPECT_DOUBLE_EQ(round.forecast_at_start, 30.0);
  const double r[4] = {2.0, 1.397455, 1.961919, 0.5};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(round.risk_exponents[k], r[k], tol);
  EXPECT_DOUBLE_EQ(result.weighted_median_baseline, 30.0);
  EXPECT_NEAR(result.weighted_mean_baseline, 37.191011, tol);
}

TEST_F(Bdm1, LaterRoundsAreDeterministic) {
  const auto first = negotiate(bdm1_actors(), options);
  const auto second = negotiate(arrays, options);
  ASSERT_EQ(first.rounds.size(), second.rounds.size());
  for (std::size_t k = 0; k < first.rounds.size(); ++k) {
    EXPECT_EQ(first.rounds[k].positions, second.rounds[k].positions);
    EXPECT_EQ(first.rounds[k].median, second.rounds[k].median);
  }
}

TEST_F(Bdm1, FixedRiskExponentOverridesTheDerivedOne) {
  auto actors = bdm1_actors();
  actors[1].risk_exponent = 1.0;
  const auto result = negotiate(actors, NegotiationOptions{.rounds = 1});
  EXPECT_DOUBLE_EQ(result.rounds[0].risk_exponents[1], 1.0);
  EXPECT_NEAR(result.rounds[0].risk_exponents[0], 2.0, tol);  // others unchanged: danger uses r = 1
}

TEST(WeightedMedian, IsTheCondorcetWinner) {
  // Brute force: the winner must not lose a pairwise vote to any other position.
  const std::vector<double> x{3, 9, 1, 7, 4, 4, 12};
  const std::vector<double> w{1.5, 0.2, 2.0, 0.7, 0.3, 0.6, 1.1};
  const double median = weighted_median(x, w);
  for (double other : x) {
    double vote = 0;
    for (std::size_t k = 0; k < x.size(); ++k) vote += w[k] * (std::abs(x[k] - other) - std::abs(x[k] - median));
    EXPECT_GE(vote, -1e-12) << other;
  }
  EXPECT_DOUBLE_EQ(median, 3.0);  // cumulative weight 2.0 | 3.5 of 6.4 total
}

TEST(WeightedMedian, ExactTieTakesTheLowerPosition) {
  const std::vector<double> x{10, 20};
  const std::vector<double> w{1, 1};
  EXPECT_DOUBLE_EQ(weighted_median(x, w), 10.0);
}

TEST(WeightedMean, ClosedForm) {
  const std::vector<double> x{0, 10};
  const std::vector<double> w{1, 3};
  EXPECT_DOUBLE_EQ(weighted_mean(x, w), 7.5);
}

TEST(Negotiate, PositionsStayInsideTheInitialHull) {
  // Every move goes to or towards another actor's position, so nobody leaves [min, max].
  std::vector<NegotiationActor> actors{{"a", 3, 12, 0.9, {}}, {"b", 1, 40, 0.3, {}}, {"c", 2, 75, 0.6, {}},
                                       {"d", 5, 90, 0.5, {}}, {"e", 1, 20, 1.0, {}}};
  for (auto selection : {NegotiationOptions::OfferSelection::SmallestMove,
                         NegotiationOptions::OfferSelection::LargestSenderUtility,
                         NegotiationOptions::OfferSelection::TypePriority}) {
    const auto result = negotiate(actors, NegotiationOptions{.selection = selection, .rounds = 20});
    for (const auto& round : result.rounds)
      for (double x : round.positions) {
        EXPECT_GE(x, 12.0);
        EXPECT_LE(x, 90.0);
      }
  }
}

TEST(Negotiate, SingleActorAndIdenticalPositionsDoNotMove) {
  const std::vector<NegotiationActor> one{{"solo", 1, 5, 0.5, {}}};
  const auto solo = negotiate(one, NegotiationOptions{.rounds = 2});
  EXPECT_EQ(solo.rounds[1].positions[0], 5.0);
  const std::vector<NegotiationActor> same{{"a", 1, 5, 0.5, {}}, {"b", 2, 5, 0.7, {}}};
  const auto result = negotiate(same, NegotiationOptions{.rounds = 2});
  EXPECT_EQ(result.rounds[1].positions, (std::vector<double>{5, 5}));
  EXPECT_TRUE(result.rounds[1].outcomes.empty());
}

TEST(Negotiate, ConvergenceToleranceStopsEarly) {
  // Two actors far apart with a weak one: it gives in and the forecast then stays put.
  const std::vector<NegotiationActor> actors{{"strong", 10, 0, 0.9, {}}, {"weak", 1, 100, 0.2, {}},
                                             {"middle", 2, 40, 0.5, {}}};
  const auto fixed = negotiate(actors, NegotiationOptions{.rounds = 50});
  EXPECT_EQ(fixed.rounds.size(), 50U);
  const auto early = negotiate(actors, NegotiationOptions{.rounds = 50, .convergence_tolerance = 1e-9});
  EXPECT_TRUE(early.converged);
  EXPECT_LT(early.rounds.size(), 50U);
}

TEST(Negotiate, RejectsImpossibleInputsAsBugs) {
  const std::vector<NegotiationActor> zero{{"a", 0, 5, 0.5, {}}, {"b", 1, 6, 0.5, {}}};
  EXPECT_ANY_THROW((void)negotiate(zero, NegotiationOptions{}));
  const std::vector<NegotiationActor> nan{{"a", 1, std::numeric_limits<double>::quiet_NaN(), 0.5, {}}};
  EXPECT_ANY_THROW((void)negotiate(nan, NegotiationOptions{}));
}

}  // namespace
}  // namespace arbiter::negotiation
