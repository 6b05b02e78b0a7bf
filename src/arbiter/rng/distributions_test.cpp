#include "arbiter/rng/distributions.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace arbiter::rng {
namespace {

// Moments checked at about five standard errors, so a correct sampler fails rarely
// (and never: the seed is fixed) while a wrong transform fails for sure.
struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

template <typename Draw>
Moments moments(Draw draw, int n) {
  double sum = 0.0;
  double sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  return {mean, sum_sq / n - mean * mean};
}

Stream make_stream() { return Stream({MasterSeed{2024}, 1, Purpose::ScenarioSampling, 0, 0}); }

TEST(Distributions, NormalMoments) {
  Stream s = make_stream();
  const auto m = moments([&] { return normal(s, 3.0, 2.0); }, 200000);
  EXPECT_NEAR(m.mean, 3.0, 0.025);
  EXPECT_NEAR(m.variance, 4.0, 0.07);
}

TEST(Distributions, GammaMomentsAboveAndBelowOne) {
  for (const double shape : {0.5, 2.5}) {
    Stream s = make_stream();
    const auto m = moments([&] { return gamma(s, shape); }, 200000);
    EXPECT_NEAR(m.mean, shape, 5 * std::sqrt(shape / 200000.0));
    EXPECT_NEAR(m.variance, shape, 0.05 * shape + 0.02);
  }
}

TEST(Distributions, BetaMean) {
  Stream s = make_stream();
  // Beta(4.1, 5.9): mean 0.41, the defence-pact reliability prior of the flagship.
  const auto m = moments([&] { return beta(s, 4.1, 5.9); }, 100000);
  EXPECT_NEAR(m.mean, 0.41, 0.003);
  EXPECT_NEAR(m.variance, 0.41 * 0.59 / 11.0, 0.001);
}

TEST(Distributions, PoissonMeanAndVariance) {
  Stream s = make_stream();
  const auto m = moments([&] { return static_cast<double>(poisson(s, 1.7)); }, 100000);
  EXPECT_NEAR(m.mean, 1.7, 0.03);
  EXPECT_NEAR(m.variance, 1.7, 0.05);
  EXPECT_EQ(poisson(s, 0.0), 0u);
}

TEST(Distributions, LognormalMedian) {
  Stream s = make_stream();
  int below = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) below += lognormal(s, 2.0, 0.4) < 2.0 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(below) / n, 0.5, 0.008);
}

TEST(Distributions, BernoulliFrequency) {
  Stream s = make_stream();
  int hits = 0;
  for (int i = 0; i < 100000; ++i) hits += bernoulli(s, 0.3) ? 1 : 0;
  EXPECT_NEAR(hits / 100000.0, 0.3, 0.0075);
}

}  // namespace
}  // namespace arbiter::rng
