#include "arbiter/ensemble/quantile_sketch.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "arbiter/rng/distributions.hpp"

namespace arbiter::ensemble {
namespace {

constexpr double probabilities[] = {0.05, 0.25, 0.5, 0.75, 0.95};

// Type-7 sample quantile from the full sorted sample: the value the sketch estimates.
double exact_quantile(std::vector<double> values, double probability) {
  std::sort(values.begin(), values.end());
  const double position = static_cast<double>(values.size() - 1) * probability;
  const auto below = static_cast<std::size_t>(std::floor(position));
  const double fraction = position - static_cast<double>(below);
  if (below + 1 >= values.size()) return values[below];
  return values[below] + fraction * (values[below + 1] - values[below]);
}

std::vector<double> sample(std::size_t n, const std::function<double(rng::Stream&)>& draw) {
  rng::Stream stream({rng::MasterSeed{7}, 0, rng::Purpose::ScenarioSampling, 0, 0});
  std::vector<double> values(n);
  for (double& value : values) value = draw(stream);
  return values;
}

QuantileSketch sketch_of(const std::vector<double>& values) {
  QuantileSketch sketch;
  for (const double value : values) sketch.add(value);
  return sketch;
}

TEST(QuantileSketch, ExactWhileAllValuesAreKept) {
  const auto values = sample(QuantileSketch::exact_capacity - 1, [](rng::Stream& s) { return rng::normal(s, 3, 2); });
  const QuantileSketch sketch = sketch_of(values);
  ASSERT_TRUE(sketch.exact());
  for (const double p : {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0}) {
    EXPECT_EQ(sketch.quantile(p), exact_quantile(values, p)) << p;
  }
}

// quantiles() sorts the kept values once for all probabilities: the same bits as quantile().
TEST(QuantileSketch, QuantilesAtOnceAreQuantileOfEach) {
  const std::vector<double> levels{0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
  const auto expect_same = [&](const QuantileSketch& sketch, const char* label) {
    std::vector<double> at_once(levels.size());
    sketch.quantiles(levels, at_once);
    for (std::size_t k = 0; k < levels.size(); ++k) {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(at_once[k]), std::bit_cast<std::uint64_t>(sketch.quantile(levels[k])))
          << label << " p = " << levels[k];
    }
  };
  const auto values = sample(3000, [](rng::Stream& s) { return rng::normal(s, 3, 2); });
  QuantileSketch exact, binned, uniform;
  for (std::size_t i = 0; i < 500; ++i) exact.add(values[i]);
  for (const double value : values) binned.add(value);
  for (int i = 0; i < 700; ++i) uniform.add(-2.5);
  ASSERT_TRUE(exact.exact());
  ASSERT_FALSE(binned.exact());
  expect_same(exact, "exact");
  expect_same(binned, "binned");
  expect_same(uniform, "uniform");
  expect_same(QuantileSketch{}, "empty");
  std::vector<double> out(levels.size());
  uniform.quantiles(levels, out);
  for (const double q : out) EXPECT_EQ(q, -2.5);
}

TEST(QuantileSketch, EmptyGivesNaN) { EXPECT_TRUE(std::isnan(QuantileSketch{}.quantile(0.5))); }

struct Case {
  const char* name;
  std::function<double(rng::Stream&)> draw;
  double tolerance;  // largest accepted |estimate - exact|, in units of the sample's sd
};

// Measured errors are at most 0.0044 sd over these cases (most near 0.001 sd); taking the
// middle of the bin instead of interpolating by rank, or an off-by-one rank, costs about
// 0.025 sd, and a wrong bin far more.
TEST(QuantileSketch, CloseToExactQuantilesOfKnownDistributions) {
  const std::vector<Case> cases = {
      {"normal", [](rng::Stream& s) { return rng::normal(s, 100.0, 15.0); }, 0.01},
      {"uniform", [](rng::Stream& s) { return rng::uniform(s, -1.0, 3.0); }, 0.01},
      {"lognormal", [](rng::Stream& s) { return rng::lognormal(s, 2.0, 1.0); }, 0.01},
      {"pareto alpha 1.5", [](rng::Stream& s) { return std::pow(1.0 - s.next_unit(), -1.0 / 1.5); }, 0.01},
      {"60% zeros, rest exponential",
       [](rng::Stream& s) { return s.next_unit() < 0.6 ? 0.0 : -std::log(1.0 - s.next_unit()); }, 0.01},
  };
  for (const Case& c : cases) {
    for (const std::size_t n : {std::size_t{2000}, std::size_t{10000}, std::size_t{100000}}) {
      const auto values = sample(n, c.draw);
      const QuantileSketch sketch = sketch_of(values);
      ASSERT_FALSE(sketch.exact());
      double mean = 0.0;
      for (const double v : values) mean += v / static_cast<double>(n);
      double variance = 0.0;
      for (const double v : values) variance += (v - mean) * (v - mean) / static_cast<double>(n - 1);
      const double sd = std::sqrt(variance);
      for (const double p : probabilities) {
        const double exact = exact_quantile(values, p);
        const double estimate = sketch.quantile(p);
        const QuantileSketch::Bracket bracket = sketch.bracket(p);
        EXPECT_LE(bracket.lower, exact) << c.name << " n=" << n << " p=" << p;
        EXPECT_GE(bracket.upper, exact) << c.name << " n=" << n << " p=" << p;
        EXPECT_NEAR(estimate, exact, c.tolerance * sd) << c.name << " n=" << n << " p=" << p;
      }
    }
  }
}

// Two-valued outputs (a war indicator, say) must come out exactly: each bin then holds
// one distinct value, so no interpolation happens inside a bin.
TEST(QuantileSketch, TwoPointDistributionIsExact) {
  const auto values = sample(10000, [](rng::Stream& s) { return s.next_unit() < 0.1 ? 1.0 : 0.0; });
  const QuantileSketch sketch = sketch_of(values);
  for (const double p : probabilities) EXPECT_EQ(sketch.quantile(p), exact_quantile(values, p)) << p;
}

// A point mass gives no scale; the first different value sets it.
TEST(QuantileSketch, PointMassThenOtherValues) {
  std::vector<double> values(QuantileSketch::exact_capacity + 500, 5.0);
  for (int i = 0; i < 300; ++i) values.push_back(7.0 + i * 0.01);
  const QuantileSketch sketch = sketch_of(values);
  ASSERT_FALSE(sketch.exact());
  EXPECT_EQ(sketch.quantile(0.25), 5.0);
  EXPECT_EQ(sketch.quantile(0.5), 5.0);
  for (const double p : probabilities) {
    const QuantileSketch::Bracket bracket = sketch.bracket(p);
    const double exact = exact_quantile(values, p);
    EXPECT_LE(bracket.lower, exact);
    EXPECT_GE(bracket.upper, exact);
    EXPECT_NEAR(sketch.quantile(p), exact, 0.05) << p;
  }
  std::vector<double> constant(1000, -2.5);
  EXPECT_EQ(sketch_of(constant).quantile(0.95), -2.5);
}

// Values far outside the first values' range land in the outermost bins, never outside.
TEST(QuantileSketch, ExtremeValuesKeepTheBracket) {
  auto values = sample(5000, [](rng::Stream& s) { return rng::normal(s, 0.0, 1e-9); });
  for (int i = 0; i < 1000; ++i) values.push_back(i % 2 == 0 ? 1e300 : -1e300);
  const QuantileSketch sketch = sketch_of(values);
  for (const double p : probabilities) {
    const QuantileSketch::Bracket bracket = sketch.bracket(p);
    const double exact = exact_quantile(values, p);
    EXPECT_LE(bracket.lower, exact) << p;
    EXPECT_GE(bracket.upper, exact) << p;
  }
  EXPECT_EQ(sketch.quantile(0.95), 1e300);
  EXPECT_EQ(sketch.quantile(0.05), -1e300);
}

}  // namespace
}  // namespace arbiter::ensemble

namespace arbiter::ensemble {
namespace {

TEST(QuantileSketch, BatchesGiveTheSameBitsAsSingleValues) {
  const auto values = sample(5000, [](rng::Stream& s) { return rng::lognormal(s, 1.0, 0.7); });
  const QuantileSketch one_by_one = sketch_of(values);
  QuantileSketch batched;
  for (std::size_t first = 0; first < values.size(); first += 333) {
    batched.add_many(values.data() + first, std::min<std::size_t>(333, values.size() - first));
  }
  ASSERT_EQ(batched.count(), one_by_one.count());
  for (const double p : probabilities) EXPECT_EQ(batched.quantile(p), one_by_one.quantile(p)) << p;
}

}  // namespace
}  // namespace arbiter::ensemble

namespace arbiter::ensemble {
namespace {

struct Group {
  double value;
  std::uint64_t copies;
};

// One of 40 lognormal levels, or an exact zero of either sign.
double next_level(rng::Stream& stream) {
  const double draw = stream.next_unit();
  if (draw < 0.1) return draw < 0.05 ? 0.0 : -0.0;
  return std::exp(std::floor(draw * 40.0) / 10.0);
}

// Groups of equal values as a shared history produces them: values from a small set (so
// equal values also recur apart, and bins fill with ties), group sizes from 1 to `longest`.
std::vector<Group> random_groups(std::size_t count, std::uint64_t longest, std::uint64_t seed) {
  rng::Stream stream({rng::MasterSeed{seed}, 0, rng::Purpose::ScenarioSampling, 0, 0});
  std::vector<Group> groups;
  for (std::size_t i = 0; i < count; ++i) {
    const double value = next_level(stream);
    const auto copies = 1 + static_cast<std::uint64_t>(stream.next_unit() * static_cast<double>(longest));
    groups.push_back({value, copies});
  }
  return groups;
}

void expect_same_state(const QuantileSketch& repeated, const QuantileSketch& one_by_one, const char* what) {
  EXPECT_TRUE(repeated == one_by_one) << what;
  EXPECT_EQ(repeated.count(), one_by_one.count()) << what;
  EXPECT_EQ(repeated.exact(), one_by_one.exact()) << what;
  for (const double p : {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0}) {
    // Bits, so that a -0.0 where 0.0 belongs is caught too.
    EXPECT_EQ(std::bit_cast<std::uint64_t>(repeated.quantile(p)), std::bit_cast<std::uint64_t>(one_by_one.quantile(p)))
        << what << " p=" << p;
  }
}

void check_groups(const std::vector<Group>& groups, const char* what) {
  QuantileSketch one_by_one;
  QuantileSketch repeated;
  for (const Group& group : groups) {
    for (std::uint64_t i = 0; i < group.copies; ++i) one_by_one.add(group.value);
    repeated.add_repeated(group.value, group.copies);
    // The state matches after every group, not only at the end: exact phase, the switch at
    // exact_capacity, point mass and binned phase are all compared on the way.
    ASSERT_TRUE(repeated == one_by_one) << what << " after " << one_by_one.count() << " values";
  }
  expect_same_state(repeated, one_by_one, what);
}

TEST(QuantileSketch, RepeatedValuesLeaveTheStateOfSingleAdditions) {
  // Short groups (the switch to bins falls inside a group now and then) and long ones
  // (a single group crosses exact_capacity).
  check_groups(random_groups(3000, 8, 1), "short groups");
  check_groups(random_groups(300, 3000, 2), "long groups");
  // A point mass first: one group larger than exact_capacity, more copies of it, then other
  // values (the first of a group starts the bins, its copies follow), then the mass again.
  check_groups({{3.0, 1500}, {3.0, 40}, {4.5, 7}, {3.0, 200}, {2.0, 1}, {3.0, 3}, {1e-300, 2}}, "point mass");
  // A point mass reached one value at a time, left with a group.
  std::vector<Group> ones(QuantileSketch::exact_capacity + 10, Group{-1.0, 1});
  ones.push_back({5.0, 900});
  check_groups(ones, "point mass, then a group");
  // Zeros of both signs compare equal but are different values: the sign the sketch keeps
  // must not depend on how the copies arrive.
  std::vector<Group> zeros;
  for (int i = 0; i < 600; ++i) zeros.push_back({i % 3 == 0 ? -0.0 : 0.0, 1 + static_cast<std::uint64_t>(i % 5)});
  zeros.push_back({1.0, 10});
  check_groups(zeros, "signed zeros");
}

// A sketch only counts copies of its first value until another comes; the values it
// stands for must then be all there.
TEST(QuantileSketch, RunOfFirstValueThenOthersIsExact) {
  std::vector<double> values(700, 2.0);
  for (int i = 0; i < 300; ++i) values.push_back(1.0 + 0.01 * i);
  QuantileSketch sketch;
  sketch.add_repeated(2.0, 700);
  sketch.add_many(values.data() + 700, 300);
  ASSERT_TRUE(sketch.exact());
  for (const double p : {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0}) {
    EXPECT_EQ(sketch.quantile(p), exact_quantile(values, p)) << p;
  }
  QuantileSketch constant;
  constant.add_repeated(-4.0, 600);
  EXPECT_EQ(constant.quantile(0.05), -4.0);
  EXPECT_EQ(constant.count(), 600u);
}

// add_many with runs of equal values goes through the same path as single additions.
TEST(QuantileSketch, BatchesWithRepeatsGiveTheSameState) {
  std::vector<double> values;
  for (const Group& group : random_groups(2000, 6, 3)) values.insert(values.end(), group.copies, group.value);
  QuantileSketch batched;
  for (std::size_t first = 0; first < values.size(); first += 100) {
    batched.add_many(values.data() + first, std::min<std::size_t>(100, values.size() - first));
  }
  expect_same_state(batched, sketch_of(values), "batches");
}

}  // namespace
}  // namespace arbiter::ensemble
