#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "arbiter/engine/run_result.hpp"
#include "arbiter/ensemble/quantile_sketch.hpp"

namespace arbiter::ensemble {

/// The distribution of one output over the runs: mean, sample standard deviation
/// (n - 1 in the denominator) and the 5/25/50/75/95 % quantiles (type 7, estimated by
/// QuantileSketch: exact up to 1024 runs). All NaN when there are no runs; the standard
/// deviation is NaN for a single run.
struct Distribution {
  double mean = 0.0;
  double standard_deviation = 0.0;
  double q05 = 0.0;
  double q25 = 0.0;
  double q50 = 0.0;
  double q75 = 0.0;
  double q95 = 0.0;
  friend bool operator==(const Distribution&, const Distribution&) = default;
};

/// What an ensemble reports about all its runs, in the catalog's order.
struct Aggregates {
  std::uint64_t runs = 0;
  std::size_t quarter_count = 0;
  std::vector<Distribution> series;     // series-major: series s at quarter t is [s * quarter_count + t]
  std::vector<Distribution> summaries;  // one per catalog summary
  [[nodiscard]] const Distribution& at(std::size_t series_index, std::size_t quarter) const {
    return series[series_index * quarter_count + quarter];
  }
};

/// Running statistics of one output: mean and variance about a shift (the first value),
/// which keeps the sum of squares free of cancellation when the mean is far from zero,
/// plus a quantile sketch.
class CellAccumulator {
 public:
  void add(double value) {
    if (count_ == 0) shift_ = value;
    ++count_;
    const double deviation = value - shift_;
    sum_ += deviation;
    sum_of_squares_ += deviation * deviation;
    sketch_.add(value);
  }
  /// Same as add() on each value in order, faster.
  void add_many(const double* values, std::size_t count) {
    if (count == 0) return;
    if (count_ == 0) shift_ = values[0];
    count_ += count;
    double sum = sum_;
    double sum_of_squares = sum_of_squares_;
    for (std::size_t i = 0; i < count; ++i) {
      const double deviation = values[i] - shift_;
      sum += deviation;
      sum_of_squares += deviation * deviation;
    }
    sum_ = sum;
    sum_of_squares_ = sum_of_squares;
    sketch_.add_many(values, count);
  }
  [[nodiscard]] Distribution distribution() const;

 private:
  std::uint64_t count_ = 0;
  double shift_ = 0.0;
  double sum_ = 0.0;
  double sum_of_squares_ = 0.0;
  QuantileSketch sketch_;
};

/// Folds runs into per-cell statistics in the order it is given them. Cells (one per series
/// and quarter) are independent, so disjoint cell ranges may be folded from different
/// threads at once; each cell still sees the runs in run-index order, so the result does
/// not depend on how the cells were split.
class Aggregator {
 public:
  explicit Aggregator(const engine::OutputCatalog& catalog);
  /// Number of (series, quarter) cells.
  [[nodiscard]] std::size_t cell_count() const noexcept { return cells_.size(); }
  /// Folds cells [first_cell, last_cell) of each run; runs must be given in run-index order
  /// and must have catalog-sized, finite series.
  void fold_cells(std::span<const engine::RunResult> runs, std::size_t first_cell, std::size_t last_cell);
  /// Folds the per-run summaries and counts the runs; call once per block, after or
  /// concurrently with fold_cells.
  void fold_summaries(std::span<const engine::RunResult> runs);
  [[nodiscard]] Aggregates result() const;

 private:
  std::size_t quarter_count_;
  std::uint64_t runs_ = 0;
  std::vector<CellAccumulator> cells_;
  std::vector<CellAccumulator> summaries_;
};

}  // namespace arbiter::ensemble
