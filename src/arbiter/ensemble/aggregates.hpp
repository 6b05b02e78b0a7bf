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
///
/// Equal consecutive values are folded as one group: runs that share their history up to
/// some quarter report bit-identical values there, often for long stretches of consecutive
/// runs, and a group of k costs one step instead of k. Values are equal when their bits are
/// (so 0.0 and -0.0 stay apart). The quantile sketch ends in exactly the state one-by-one
/// additions would leave. The mean and variance take a group of k copies of deviation d
/// (from the shift) as sum += k * d and sum of squares += k * (d * d), which rounds
/// differently from k separate additions (two roundings instead of k, so if anything more
/// accurately); a group of one is exactly a single addition, so values without equal
/// neighbours give the same bits as a plain running sum.
/// The groups are the maximal stretches of equal values in the whole sequence of values, in
/// order: the last group stays open (pending) across add_many() calls and is only counted in
/// by distribution(), so the result is a pure function of the sequence, whatever batches it
/// came in (block size, thread count).
class CellAccumulator {
 public:
  void add(double value) { add_many(&value, 1); }
  /// Same as add() on each value in order, faster.
  void add_many(const double* values, std::size_t count);
  [[nodiscard]] Distribution distribution() const;
  /// The value of the open group (the last values added, all equal), if any.
  [[nodiscard]] bool open_group(double& value) const noexcept {
    value = pending_value_;
    return pending_copies_ > 0;
  }
  /// Same as add_many() of `copies` copies of the open group's value (which must exist):
  /// the group stays open.
  void extend_open_group(std::uint64_t copies) {
    sketch_.add_repeated(pending_value_, copies);
    pending_copies_ += copies;
    count_ += copies;
  }

 private:
  // `copies` values that all deviate by `deviation` from the shift.
  static void add_group(double& sum, double& sum_of_squares, double deviation, std::uint64_t copies) {
    const auto k = static_cast<double>(copies);
    sum += k * deviation;
    sum_of_squares += k * (deviation * deviation);
  }
  // Folds a closed group of `copies` equal values into the moments (not the sketch).
  void fold_group(double value, std::uint64_t copies) {
    add_group(sum_, sum_of_squares_, value - shift_, copies);
  }

  std::uint64_t count_ = 0;  // including the pending group
  double shift_ = 0.0;
  double sum_ = 0.0;
  double sum_of_squares_ = 0.0;
  double pending_value_ = 0.0;         // the open group: already in the sketch,
  std::uint64_t pending_copies_ = 0;   // not yet in sum_ and sum_of_squares_
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
  /// The distributions of every cell and summary; cells are computed in parallel on the
  /// threads of the calling task arena (the result does not depend on how many).
  [[nodiscard]] Aggregates result() const;

 private:
  std::size_t quarter_count_;
  std::uint64_t runs_ = 0;
  std::vector<CellAccumulator> cells_;
  std::vector<CellAccumulator> summaries_;
};

}  // namespace arbiter::ensemble
