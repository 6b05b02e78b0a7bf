#include "arbiter/rules/richardson.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace arbiter::rules {
namespace {

// R1 of models.md §1.4 ([D]): k=0.5, a=0.8, g=10, l=0.6, b=0.9, h=5.
constexpr RichardsonParams r1{.k = 0.5, .l = 0.6, .a = 0.8, .b = 0.9, .g = 10.0, .h = 5.0};

TEST(RichardsonEquilibrium, R1EquilibriumAndEigenvalues) {
  const RichardsonEquilibrium eq = richardson_equilibrium(r1);
  EXPECT_NEAR(eq.x, 27.380952, 1e-6);
  EXPECT_NEAR(eq.y, 23.809524, 1e-6);
  EXPECT_NEAR(eq.eigenvalue_low, -1.4, 1e-12);
  EXPECT_NEAR(eq.eigenvalue_high, -0.3, 1e-12);
  EXPECT_TRUE(eq.stable);
}

TEST(RichardsonEquilibrium, R3SaddleIsFlaggedUnstable) {
  const RichardsonParams r3{.k = 0.9, .l = 0.8, .a = 0.3, .b = 0.4, .g = 0.0, .h = 0.0};
  const RichardsonEquilibrium eq = richardson_equilibrium(r3);
  EXPECT_FALSE(eq.stable);
  EXPECT_NEAR(eq.eigenvalue_high, 0.5, 1e-12);
  EXPECT_NEAR(eq.eigenvalue_low, -1.2, 1e-12);
  EXPECT_NEAR(r3.a * r3.b - r3.k * r3.l, -0.60, 1e-12);
}

TEST(RichardsonEquilibrium, SingularSystemHasNoUniqueEquilibrium) {
  const RichardsonEquilibrium eq =
      richardson_equilibrium({.k = 0.5, .l = 0.5, .a = 0.5, .b = 0.5, .g = 1.0, .h = 2.0});
  EXPECT_TRUE(std::isnan(eq.x));
  EXPECT_TRUE(std::isnan(eq.y));
  EXPECT_FALSE(eq.stable);
  EXPECT_NEAR(eq.eigenvalue_high, 0.0, 1e-12);
}

TEST(RichardsonEulerStep, R2UnitStepIsExact) {
  std::array<double, 2> x{0.0, 0.0};
  x = richardson_euler_step(r1, x);
  EXPECT_DOUBLE_EQ(x[0], 10.0);
  EXPECT_DOUBLE_EQ(x[1], 5.0);
  x = richardson_euler_step(r1, x);
  EXPECT_DOUBLE_EQ(x[0], 14.5);
  EXPECT_DOUBLE_EQ(x[1], 11.5);
  x = richardson_euler_step(r1, x);
  EXPECT_NEAR(x[0], 18.65, 1e-12);
  EXPECT_NEAR(x[1], 14.85, 1e-12);
}

struct TrajectoryPoint {
  double t;
  double x;
  double y;
};
// R1 exact solution from X0 = (0, 0).
constexpr TrajectoryPoint r1_trajectory[] = {
    {0.25, 2.340555, 1.285870}, {1.0, 7.898951, 5.208226}, {5.0, 21.632180, 18.064008}, {20.0, 27.317106, 23.745677}};

TEST(RichardsonExactStep, R1TrajectoryInQuarterlySteps) {
  const RichardsonExactStep step(r1, 0.25);
  std::array<double, 2> x{0.0, 0.0};
  int quarters_done = 0;
  for (const TrajectoryPoint& point : r1_trajectory) {
    const int quarters = static_cast<int>(std::lround(point.t / 0.25));
    for (; quarters_done < quarters; ++quarters_done) x = step(x);
    EXPECT_NEAR(x[0], point.x, 1e-6) << "t=" << point.t;
    EXPECT_NEAR(x[1], point.y, 1e-6) << "t=" << point.t;
  }
}

TEST(RichardsonExactStep, R1TrajectoryInOneStep) {
  for (const TrajectoryPoint& point : r1_trajectory) {
    const std::array<double, 2> x = RichardsonExactStep(r1, point.t)({0.0, 0.0});
    EXPECT_NEAR(x[0], point.x, 1e-6) << "t=" << point.t;
    EXPECT_NEAR(x[1], point.y, 1e-6) << "t=" << point.t;
  }
}

TEST(RichardsonExactStep, EquilibriumIsAFixedPoint) {
  const RichardsonEquilibrium eq = richardson_equilibrium(r1);
  const std::array<double, 2> x = RichardsonExactStep(r1, 0.25)({eq.x, eq.y});
  EXPECT_NEAR(x[0], eq.x, 1e-12);
  EXPECT_NEAR(x[1], eq.y, 1e-12);
}

// Classical RK4 on the ODE with a fine step: an independent numerical integral.
std::array<double, 2> rk4_reference(const RichardsonParams& p, std::array<double, 2> x, double t, int steps) {
  const auto f = [&p](std::array<double, 2> v) {
    return std::array<double, 2>{p.k * v[1] - p.a * v[0] + p.g, p.l * v[0] - p.b * v[1] + p.h};
  };
  const double h = t / steps;
  for (int i = 0; i < steps; ++i) {
    const auto k1 = f(x);
    const auto k2 = f({x[0] + h / 2 * k1[0], x[1] + h / 2 * k1[1]});
    const auto k3 = f({x[0] + h / 2 * k2[0], x[1] + h / 2 * k2[1]});
    const auto k4 = f({x[0] + h * k3[0], x[1] + h * k3[1]});
    x = {x[0] + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]), x[1] + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])};
  }
  return x;
}

TEST(RichardsonExactStep, SingularMatrixAgreesWithNumericalIntegral) {
  // det(M) = a*b - k*l = 0: M^{-1} does not exist, so Gamma = M^{-1}(Phi - I)c would fail.
  const RichardsonParams singular{.k = 0.5, .l = 0.5, .a = 0.5, .b = 0.5, .g = 1.0, .h = 2.0};
  const std::array<double, 2> start{3.0, 1.0};
  const std::array<double, 2> exact = RichardsonExactStep(singular, 3.0)(start);
  const std::array<double, 2> numeric = rk4_reference(singular, start, 3.0, 30000);
  EXPECT_NEAR(exact[0], numeric[0], 1e-9);
  EXPECT_NEAR(exact[1], numeric[1], 1e-9);
  // Closed form: x+y grows at g+h; x-y relaxes at rate a+k towards (g-h)/(a+k).
  const double sum = 4.0 + 3.0 * 3.0;
  const double difference = -1.0 + (2.0 + 1.0) * std::exp(-3.0);
  EXPECT_NEAR(exact[0], (sum + difference) / 2.0, 1e-12);
  EXPECT_NEAR(exact[1], (sum - difference) / 2.0, 1e-12);
}

TEST(RichardsonExactStep, SaddleAgreesWithNumericalIntegral) {
  const RichardsonParams r3{.k = 0.9, .l = 0.8, .a = 0.3, .b = 0.4, .g = 2.0, .h = -1.0};
  const std::array<double, 2> exact = RichardsonExactStep(r3, 2.0)({10.0, 12.0});
  const std::array<double, 2> numeric = rk4_reference(r3, {10.0, 12.0}, 2.0, 20000);
  EXPECT_NEAR(exact[0], numeric[0], 1e-8);
  EXPECT_NEAR(exact[1], numeric[1], 1e-8);
}

}  // namespace
}  // namespace arbiter::rules
