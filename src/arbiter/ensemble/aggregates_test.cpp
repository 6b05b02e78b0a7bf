#include "arbiter/ensemble/aggregates.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arbiter/rng/distributions.hpp"

namespace arbiter::ensemble {
namespace {

bool same_bits(const Distribution& a, const Distribution& b) { return std::memcmp(&a, &b, sizeof(Distribution)) == 0; }

// Values as a shared history gives them: stretches of consecutive equal values (of 1 to
// `longest` copies) from a small set of levels, including exact zeros of both signs.
std::vector<double> grouped_values(std::size_t groups, std::uint64_t longest, std::uint64_t seed) {
  rng::Stream stream({rng::MasterSeed{seed}, 0, rng::Purpose::ScenarioSampling, 0, 0});
  std::vector<double> values;
  for (std::size_t g = 0; g < groups; ++g) {
    const double draw = stream.next_unit();
    const double value = draw < 0.1 ? (draw < 0.05 ? 0.0 : -0.0) : 1000.0 + std::exp(std::floor(draw * 30.0) / 7.0);
    const auto copies = 1 + static_cast<std::uint64_t>(stream.next_unit() * static_cast<double>(longest));
    values.insert(values.end(), copies, value);
  }
  return values;
}

Distribution fold_in_batches(const std::vector<double>& values, std::size_t batch) {
  CellAccumulator cell;
  for (std::size_t first = 0; first < values.size(); first += batch) {
    cell.add_many(values.data() + first, std::min(batch, values.size() - first));
  }
  return cell.distribution();
}

// The groups are those of the whole sequence, so the batches it arrives in (the ensemble's
// blocks, cut anywhere, even inside a group) change no bit of the result.
TEST(CellAccumulator, BatchBoundariesChangeNothing) {
  for (const std::uint64_t longest : {std::uint64_t{1}, std::uint64_t{5}, std::uint64_t{700}}) {
    const std::vector<double> values = grouped_values(3000 / longest + 20, longest, longest);
    CellAccumulator one_by_one;
    for (const double value : values) one_by_one.add(value);
    const Distribution reference = one_by_one.distribution();
    for (const std::size_t batch : {std::size_t{2}, std::size_t{7}, std::size_t{256}, values.size()}) {
      EXPECT_TRUE(same_bits(fold_in_batches(values, batch), reference)) << "longest " << longest << " batch " << batch;
    }
  }
}

// The quantiles come from a sketch in exactly the state one-by-one additions leave; zeros
// of either sign are different values there (a sorted sample keeps their order).
TEST(CellAccumulator, QuantilesAreThoseOfTheOneByOneSketch) {
  for (const std::size_t groups : {std::size_t{3}, std::size_t{150}, std::size_t{2000}}) {
    const std::vector<double> values = grouped_values(groups, 9, groups);
    QuantileSketch sketch;
    for (const double value : values) sketch.add(value);
    const Distribution d = fold_in_batches(values, 100);
    const double expected[] = {sketch.quantile(0.05), sketch.quantile(0.25), sketch.quantile(0.5),
                               sketch.quantile(0.75), sketch.quantile(0.95)};
    const double actual[] = {d.q05, d.q25, d.q50, d.q75, d.q95};
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(actual[i]), std::bit_cast<std::uint64_t>(expected[i]))
          << groups << " " << i;
    }
  }
  // 0.0, -0.0, -0.0: the median is the middle of the sorted three. Folding the zeros as one
  // group of 0.0 would give 0.0 instead of the -0.0 one-by-one additions give.
  const std::vector<double> zeros = {0.0, -0.0, -0.0};
  QuantileSketch sketch;
  for (const double value : zeros) sketch.add(value);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(fold_in_batches(zeros, 3).q50),
            std::bit_cast<std::uint64_t>(sketch.quantile(0.5)));
}

// k copies of a, then m copies of b: mean (k a + m b) / (k + m) and sample sd
// |a - b| sqrt(k m / ((k + m)(k + m - 1))); the two-point quantiles are exact.
TEST(CellAccumulator, TwoGroupsMatchTheClosedForm) {
  const double a = 1e6 + 0.1;
  const double b = 1e6 - 0.3;
  const double k = 3000.0;
  const double m = 1000.0;
  std::vector<double> values(3000, a);
  values.insert(values.end(), 1000, b);
  const Distribution d = fold_in_batches(values, 256);
  EXPECT_NEAR(d.mean, (k * a + m * b) / (k + m), 1e-15 * 1e6);
  EXPECT_NEAR(d.standard_deviation, std::fabs(a - b) * std::sqrt(k * m / ((k + m) * (k + m - 1.0))), 1e-12);
  // Sorted: 1000 b then 3000 a; type 7 at (n - 1) p = 3999 p.
  EXPECT_EQ(d.q05, b);
  EXPECT_DOUBLE_EQ(d.q25, b + 0.75 * (a - b));  // ranks 999 (b) and 1000 (a)
  EXPECT_EQ(d.q50, a);
  EXPECT_EQ(d.q95, a);
}

// Grouped sums round differently from one addition per value; against a long double
// two-pass computation both stay within a few units in the last place.
TEST(CellAccumulator, MeanAndSdOfGroupedValuesStayAccurate) {
  const std::vector<double> values = grouped_values(4000, 40, 9);
  long double mean = 0.0L;
  for (const double v : values) mean += v;
  mean /= static_cast<long double>(values.size());
  long double squares = 0.0L;
  for (const double v : values) squares += (v - mean) * (v - mean);
  const auto sd = static_cast<double>(std::sqrt(squares / static_cast<long double>(values.size() - 1)));
  const Distribution d = fold_in_batches(values, 256);
  EXPECT_NEAR(d.mean, static_cast<double>(mean), 1e-14 * std::fabs(static_cast<double>(mean)));
  EXPECT_NEAR(d.standard_deviation, sd, 1e-12 * sd);
}

// Without equal neighbours every group has one value and the moments are the plain
// sequential sums about the first value, bit for bit.
TEST(CellAccumulator, DistinctValuesKeepTheSequentialSums) {
  const std::vector<double> values = grouped_values(2000, 1, 4);
  std::vector<double> distinct;
  for (const double v : values) {
    if (distinct.empty() || std::bit_cast<std::uint64_t>(v) != std::bit_cast<std::uint64_t>(distinct.back())) {
      distinct.push_back(v);
    }
  }
  double sum = 0.0;
  double sum_of_squares = 0.0;
  for (const double v : distinct) {
    sum += v - distinct.front();
    sum_of_squares += (v - distinct.front()) * (v - distinct.front());
  }
  const auto n = static_cast<double>(distinct.size());
  const Distribution d = fold_in_batches(distinct, 256);
  EXPECT_EQ(d.mean, distinct.front() + sum / n);
  EXPECT_EQ(d.standard_deviation, std::sqrt((sum_of_squares - sum * (sum / n)) / (n - 1.0)));
}

// Runs that share their history up to a divergence quarter, folded by blocks and cell
// ranges as the ensemble does (lines of runs that repeat the open groups are only counted),
// give the bits of each cell fed value by value.
TEST(Aggregator, FoldedBlocksEqualCellsFedValueByValue) {
  engine::OutputCatalog catalog;
  const std::size_t quarters = 13;
  for (std::size_t t = 0; t < quarters; ++t) catalog.quarter_labels.push_back(std::to_string(t));
  for (std::size_t s = 0; s < 5; ++s) catalog.series.push_back({std::to_string(s), "unit"});
  const std::size_t cells = catalog.series.size() * quarters;
  rng::Stream stream({rng::MasterSeed{3}, 0, rng::Purpose::ScenarioSampling, 0, 0});
  // Common values include zeros of both signs; own values are zero (of the other sign) a
  // fifth of the time, so a run can differ from the history only in the sign of a zero.
  std::vector<double> common(cells);
  for (std::size_t i = 0; i < cells; ++i) common[i] = i % 7 == 0 ? -0.0 : (i % 7 == 1 ? 0.0 : std::floor(stream.next_unit() * 4.0));
  std::vector<engine::RunResult> runs(1300);
  for (engine::RunResult& run : runs) {
    const double divergence = stream.next_unit() * 1.5 * static_cast<double>(quarters);
    run.series.resize(cells);
    for (std::size_t i = 0; i < cells; ++i) {
      const bool shared = static_cast<double>(i % quarters) < divergence;
      const double own = stream.next_unit() < 0.2 ? (i % 7 == 0 ? 0.0 : -0.0) : std::floor(stream.next_unit() * 4.0);
      run.series[i] = shared ? common[i] : own;
    }
  }
  std::vector<CellAccumulator> reference(cells);
  for (const engine::RunResult& run : runs) {
    for (std::size_t i = 0; i < cells; ++i) reference[i].add(run.series[i]);
  }
  for (const std::size_t block : {std::size_t{256}, std::size_t{100}, std::size_t{1300}}) {
    for (const std::size_t split : {std::size_t{8}, std::size_t{19}, cells}) {
      Aggregator aggregator(catalog);
      for (std::size_t first = 0; first < runs.size(); first += block) {
        const std::span<const engine::RunResult> part(runs.data() + first, std::min(block, runs.size() - first));
        for (std::size_t cell = 0; cell < cells; cell += split) {
          aggregator.fold_cells(part, cell, std::min(cells, cell + split));
        }
      }
      const Aggregates result = aggregator.result();
      for (std::size_t i = 0; i < cells; ++i) {
        ASSERT_TRUE(same_bits(result.series[i], reference[i].distribution())) << "cell " << i << " block " << block
                                                                             << " split " << split;
      }
    }
  }
}

// A run whose whole line differs from the open groups only in the sign of zeros is not
// part of them: 0.0, -0.0, -0.0 has the median -0.0 of the sorted three, as value by value.
TEST(Aggregator, ZerosOfEitherSignAreNotOneGroup) {
  engine::OutputCatalog catalog;
  for (std::size_t t = 0; t < 8; ++t) catalog.quarter_labels.push_back(std::to_string(t));
  catalog.series.push_back({"zero", "unit"});
  std::vector<engine::RunResult> runs(3);
  runs[0].series.assign(8, 0.0);
  runs[1].series.assign(8, -0.0);
  runs[2].series.assign(8, -0.0);
  CellAccumulator reference;
  for (const engine::RunResult& run : runs) reference.add(run.series[0]);
  Aggregator aggregator(catalog);
  aggregator.fold_cells(std::span<const engine::RunResult>(runs.data(), 1), 0, 8);
  aggregator.fold_cells(std::span<const engine::RunResult>(runs.data() + 1, 2), 0, 8);
  const Aggregates result = aggregator.result();
  ASSERT_EQ(std::bit_cast<std::uint64_t>(reference.distribution().q50), std::bit_cast<std::uint64_t>(-0.0));
  for (std::size_t t = 0; t < 8; ++t) EXPECT_TRUE(same_bits(result.series[t], reference.distribution())) << t;
}

TEST(CellAccumulator, EmptyAndSingle) {
  EXPECT_TRUE(std::isnan(CellAccumulator{}.distribution().mean));
  CellAccumulator one;
  one.add(2.5);
  EXPECT_EQ(one.distribution().mean, 2.5);
  EXPECT_TRUE(std::isnan(one.distribution().standard_deviation));
  EXPECT_EQ(one.distribution().q95, 2.5);
}

}  // namespace
}  // namespace arbiter::ensemble
