#include "arbiter/rules/lanchester.hpp"

#include <array>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace arbiter::rules {
namespace {

// ---- L1 (models.md §2.5, [D]): a=0.05, b=0.08, x0=1000, y0=1100 ----
constexpr double l1_a = 0.05;
constexpr double l1_b = 0.08;

TEST(SquareLaw, L1ClosedFormValues) {
  const ForcePair at10 = square_law(1000, 1100, l1_a, l1_b, 10.0);
  EXPECT_NEAR(at10.x, 619.349170, 1e-6);
  EXPECT_NEAR(at10.y, 473.021597, 1e-6);
  EXPECT_NEAR(square_law_time_to_annihilation(1000, 1100, l1_a, l1_b), 21.053570, 1e-6);
}

TEST(SquareLaw, L1SurvivorIsClampedAfterAnnihilation) {
  for (const double t : {21.053571, 25.0, 1000.0}) {
    const ForcePair f = square_law(1000, 1100, l1_a, l1_b, t);
    EXPECT_NEAR(f.x, 493.710441, 1e-6) << t;
    EXPECT_EQ(f.y, 0.0) << t;
  }
  // The same battle seen from Y's side: Y loses.
  const ForcePair mirrored = square_law(1100, 1000, l1_b, l1_a, 40.0);
  EXPECT_EQ(mirrored.x, 0.0);
  EXPECT_NEAR(mirrored.y, 493.710441, 1e-6);
}

TEST(SquareLaw, ConservesInvariantBeforeAnnihilation) {
  const double k0 = l1_b * 1000.0 * 1000.0 - l1_a * 1100.0 * 1100.0;
  for (const double t : {1.0, 7.5, 15.0, 21.0}) {
    const ForcePair f = square_law(1000, 1100, l1_a, l1_b, t);
    EXPECT_NEAR(l1_b * f.x * f.x - l1_a * f.y * f.y, k0, 1e-7 * k0) << t;
  }
}

TEST(SquareLaw, L1AgreesWithRk4) {
  const auto aimed_fire = [](double, ForcePair f) { return ForcePair{-l1_a * f.y, -l1_b * f.x}; };
  const ForcePair numeric = rk4_lanchester({1000, 1100}, 0.0, 10.0, 1000, aimed_fire);
  EXPECT_NEAR(numeric.x, 619.349170, 1e-6);
  EXPECT_NEAR(numeric.y, 473.021597, 1e-6);
  const ForcePair exact = square_law(1000, 1100, l1_a, l1_b, 10.0);
  EXPECT_NEAR(numeric.x, exact.x, 1e-9);
  EXPECT_NEAR(numeric.y, exact.y, 1e-9);
}

TEST(SquareLaw, DegenerateCoefficients) {
  // An exact draw never ends in finite time.
  EXPECT_TRUE(std::isinf(square_law_time_to_annihilation(100, 200, 0.04, 0.16)));
  const ForcePair draw = square_law(100, 200, 0.04, 0.16, 5.0);
  EXPECT_NEAR(draw.x, 100 * std::exp(-0.08 * 5.0), 1e-9);
  EXPECT_NEAR(draw.y, 200 * std::exp(-0.08 * 5.0), 1e-9);
  // Y cannot hurt X: Y falls linearly at b x0 and X keeps its strength.
  EXPECT_DOUBLE_EQ(square_law_time_to_annihilation(100, 50, 0.0, 0.1), 5.0);
  EXPECT_EQ(square_law(100, 50, 0.0, 0.1, 2.0), (ForcePair{100, 30}));
  EXPECT_EQ(square_law(100, 50, 0.0, 0.1, 9.0), (ForcePair{100, 0}));
  EXPECT_TRUE(std::isinf(square_law_time_to_annihilation(100, 50, 0.0, 0.0)));
  EXPECT_EQ(square_law(100, 50, 0.0, 0.0, 9.0), (ForcePair{100, 50}));
}

// ---- L2 (models.md §2.5, [D]): area fire a=1e-4, b=1.2e-4, x0=1000, y0=1100 ----
TEST(LinearLaw, L2ClosedFormAndRk4) {
  const ForcePair at200 = linear_law(1000, 1100, 1e-4, 1.2e-4, 200.0);
  EXPECT_NEAR(at200.x, 95.135604, 1e-6);
  EXPECT_NEAR(at200.y, 14.162724, 1e-6);
  const auto area_fire = [](double, ForcePair f) { return ForcePair{-1e-4 * f.x * f.y, -1.2e-4 * f.x * f.y}; };
  const ForcePair numeric = rk4_lanchester({1000, 1100}, 0.0, 200.0, 20000, area_fire);
  EXPECT_NEAR(numeric.x, 95.135604, 1e-6);
  EXPECT_NEAR(numeric.y, 14.162724, 1e-6);
}

TEST(LinearLaw, L2TendsToSurvivorsAndConservesInvariant) {
  const ForcePair late = linear_law(1000, 1100, 1e-4, 1.2e-4, 1e5);
  EXPECT_NEAR(late.x, 1000.0 - (1e-4 / 1.2e-4) * 1100.0, 1e-6);  // 83.333...
  EXPECT_NEAR(late.y, 0.0, 1e-9);
  for (const double t : {1.0, 50.0, 500.0}) {
    const ForcePair f = linear_law(1000, 1100, 1e-4, 1.2e-4, t);
    EXPECT_NEAR(1.2e-4 * f.x - 1e-4 * f.y, 0.01, 1e-12) << t;
  }
}

TEST(LinearLaw, ZeroInvariantAndOneSidedCases) {
  // b x0 = a y0: each side follows dz/dt = -(coefficient) z^2.
  const ForcePair tie = linear_law(100, 200, 1e-3, 2e-3, 3.0);
  EXPECT_NEAR(tie.x, 100 / (1 + 2e-3 * 100 * 3.0), 1e-12);
  EXPECT_NEAR(tie.y, 200 / (1 + 1e-3 * 200 * 3.0), 1e-12);
  // a = 0: X untouched, Y decays exponentially at b x0.
  const ForcePair one_sided = linear_law(100, 200, 0.0, 1e-3, 3.0);
  EXPECT_NEAR(one_sided.x, 100.0, 1e-12);
  EXPECT_NEAR(one_sided.y, 200 * std::exp(-0.3), 1e-12);
}

// ---- L3 (models.md §2.5, [D]): conventional C vs guerrilla G, dC=-g G, dG=-c C G ----
TEST(MixedLaw, L3InvariantAndSurvivorsByRk4) {
  constexpr double g = 0.05;
  constexpr double c = 2e-4;
  const auto mixed = [](double, ForcePair f) { return ForcePair{-g * f.y, -c * f.x * f.y}; };
  const auto invariant = [](ForcePair f) { return 2 * g * f.y - c * f.x * f.x; };
  const ForcePair start{1000, 500};
  EXPECT_NEAR(invariant(start), -150.0, 1e-12);
  ForcePair state = start;
  for (int block = 0; block < 30; ++block) {  // 300 days in 10-day blocks
    state = rk4_lanchester(state, block * 10.0, (block + 1) * 10.0, 1000, mixed);
    EXPECT_NEAR(invariant(state), -150.0, 1e-9) << "block " << block;
  }
  EXPECT_NEAR(state.x, 866.025404, 1e-6);
  EXPECT_NEAR(state.y, 0.0, 1e-9);
}

// ---- L4: Engel (1954), Iwo Jima. Inputs: J. H. Engel, "A Verification of Lanchester's Law",
// J. Operations Research Soc. of America 2(2):163-171, as restated in models.md §2.4 ([V2]):
// Japanese effectiveness A = 0.0544, US effectiveness B = 0.0106 (per day), US starts at 0,
// Japanese at 21,500 with no reinforcements, US lands 54,000/day on [0,1), 6,000/day on [2,3)
// and 13,000/day on [5,6). The expected strengths are the [D] table of models.md §2.5 (L4).
constexpr double engel_a = 0.0544;
constexpr double engel_b = 0.0106;
constexpr std::array<Reinforcement, 3> engel_landings{{
    {.from_day = 0.0, .to_day = 1.0, .rate_per_day = 54000.0},
    {.from_day = 2.0, .to_day = 3.0, .rate_per_day = 6000.0},
    {.from_day = 5.0, .to_day = 6.0, .rate_per_day = 13000.0},
}};

struct EngelRow {
  double day;
  double us;
  double japan;
};
constexpr std::array<EngelRow, 10> engel_table{{{1, 52835.48, 21219.99},
                                                {2, 51696.23, 20665.99},
                                                {3, 56587.38, 20092.12},
                                                {5, 54465.79, 18915.18},
                                                {6, 66453.66, 18274.34},
                                                {10, 62777.84, 15536.74},
                                                {20, 56063.12, 9268.26},
                                                {28, 53042.40, 4656.36},
                                                {35, 52012.03, 767.99},
                                                {36, 51985.25, 216.83}}};

TEST(Reinforcements, L4EngelIwoJimaTable) {
  std::array<double, engel_table.size()> days{};
  for (std::size_t i = 0; i < days.size(); ++i) days[i] = engel_table[i].day;
  // A coarse grid on purpose: sampling P(t) across a landing boundary would be off by
  // about h/6 * 54,000 troops, far outside the 0.1 tolerance at 20 steps a day.
  for (const int steps_per_day : {20, 200}) {
    const std::vector<ForcePair> result =
        integrate_with_reinforcements({0.0, 21500.0}, engel_a, engel_b, engel_landings, days, steps_per_day);
    ASSERT_EQ(result.size(), engel_table.size());
    for (std::size_t i = 0; i < result.size(); ++i) {
      EXPECT_NEAR(result[i].x, engel_table[i].us, 0.1) << "day " << engel_table[i].day << " steps " << steps_per_day;
      EXPECT_NEAR(result[i].y, engel_table[i].japan, 0.1) << "day " << engel_table[i].day;
    }
  }
}

TEST(Reinforcements, L4InvariantAfterTheLastLanding) {
  std::array<double, 31> days{};
  for (std::size_t i = 0; i < days.size(); ++i) days[i] = 6.0 + static_cast<double>(i);
  const std::vector<ForcePair> result =
      integrate_with_reinforcements({0.0, 21500.0}, engel_a, engel_b, engel_landings, days, 200);
  for (std::size_t i = 0; i < result.size(); ++i) {
    const double invariant = engel_b * result[i].x * result[i].x - engel_a * result[i].y * result[i].y;
    // models.md quotes 7 significant digits (2.864358e7), so +-5 in its units.
    EXPECT_NEAR(invariant, 2.864358e7, 5.0) << "day " << days[i];
    if (i > 0) {
      const double first = engel_b * result[0].x * result[0].x - engel_a * result[0].y * result[0].y;
      EXPECT_NEAR(invariant, first, 1e-9 * first) << "day " << days[i];
    }
  }
}

TEST(Reinforcements, L4JapaneseAnnihilatedAtDay36Point394) {
  const std::array<double, 2> days{36.38, 36.41};
  const std::vector<ForcePair> result =
      integrate_with_reinforcements({0.0, 21500.0}, engel_a, engel_b, engel_landings, days, 1000);
  EXPECT_GT(result[0].y, 0.0);
  EXPECT_EQ(result[1].y, 0.0);
  EXPECT_NEAR(result[1].x, 51982.9, 0.1);  // survivors stop taking losses once N = 0
}

TEST(Reinforcements, WithoutReinforcementsMatchesClosedSquareLaw) {
  const std::array<double, 3> days{0.0, 10.0, 30.0};
  const std::vector<ForcePair> result = integrate_with_reinforcements({1000, 1100}, l1_a, l1_b, {}, days, 100);
  EXPECT_EQ(result[0], (ForcePair{1000, 1100}));
  EXPECT_NEAR(result[1].x, 619.349170, 1e-6);
  EXPECT_NEAR(result[1].y, 473.021597, 1e-6);
  EXPECT_NEAR(result[2].x, 493.710441, 1e-3);  // annihilation resolved to one step
  EXPECT_EQ(result[2].y, 0.0);
}

TEST(Reinforcements, ReinforcingSideYAndOverlapsAdd) {
  // No fire at all: forces only accumulate reinforcements, so the totals are exact.
  const std::array<Reinforcement, 3> inflows{{{.from_day = 0, .to_day = 2, .rate_per_day = 10},
                                              {.from_day = 1, .to_day = 3, .rate_per_day = 5},
                                              {.from_day = 0.5, .to_day = 1.5, .rate_per_day = 4, .side = ForceSide::y}}};
  const std::array<double, 2> days{1.0, 4.0};
  const std::vector<ForcePair> result = integrate_with_reinforcements({0, 0}, 0.0, 0.0, inflows, days, 3);
  EXPECT_NEAR(result[0].x, 10.0, 1e-12);
  EXPECT_NEAR(result[0].y, 2.0, 1e-12);
  EXPECT_NEAR(result[1].x, 30.0, 1e-12);
  EXPECT_NEAR(result[1].y, 4.0, 1e-12);
}

}  // namespace
}  // namespace arbiter::rules
