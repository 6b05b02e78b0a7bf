#include "arbiter/ensemble/aggregates.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace arbiter::ensemble {

Distribution CellAccumulator::distribution() const {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (count_ == 0) return {nan, nan, nan, nan, nan, nan, nan};
  const auto n = static_cast<double>(count_);
  const double mean_deviation = sum_ / n;
  double standard_deviation = nan;
  if (count_ > 1) {
    const double variance = (sum_of_squares_ - sum_ * mean_deviation) / (n - 1.0);
    standard_deviation = std::sqrt(std::max(variance, 0.0));  // rounding can push a zero variance below 0
  }
  return {.mean = shift_ + mean_deviation,
          .standard_deviation = standard_deviation,
          .q05 = sketch_.quantile(0.05),
          .q25 = sketch_.quantile(0.25),
          .q50 = sketch_.quantile(0.50),
          .q75 = sketch_.quantile(0.75),
          .q95 = sketch_.quantile(0.95)};
}

Aggregator::Aggregator(const engine::OutputCatalog& catalog)
    : quarter_count_(catalog.quarter_count()),
      cells_(catalog.series.size() * catalog.quarter_count()),
      summaries_(catalog.summaries.size()) {}

void Aggregator::fold_cells(std::span<const engine::RunResult> runs, std::size_t first_cell,
                            std::size_t last_cell) {
  // Eight cells (one cache line of each run's series) at a time: each run's line is read
  // once into a cell-major buffer, then each cell folds its values as one contiguous batch.
  constexpr std::size_t chunk = 8;
  const std::size_t run_count = runs.size();
  std::vector<double> buffer(chunk * run_count);
  for (std::size_t chunk_begin = first_cell; chunk_begin < last_cell; chunk_begin += chunk) {
    const std::size_t width = std::min(chunk, last_cell - chunk_begin);
    for (std::size_t r = 0; r < run_count; ++r) {
      const double* values = runs[r].series.data() + chunk_begin;
      for (std::size_t c = 0; c < width; ++c) buffer[c * run_count + r] = values[c];
    }
    for (std::size_t c = 0; c < width; ++c) cells_[chunk_begin + c].add_many(buffer.data() + c * run_count, run_count);
  }
}

void Aggregator::fold_summaries(std::span<const engine::RunResult> runs) {
  for (const engine::RunResult& run : runs) {
    for (std::size_t i = 0; i < summaries_.size(); ++i) summaries_[i].add(run.summaries[i]);
  }
  runs_ += runs.size();
}

Aggregates Aggregator::result() const {
  Aggregates out{.runs = runs_, .quarter_count = quarter_count_, .series = {}, .summaries = {}};
  out.series.reserve(cells_.size());
  for (const CellAccumulator& cell : cells_) out.series.push_back(cell.distribution());
  out.summaries.reserve(summaries_.size());
  for (const CellAccumulator& summary : summaries_) out.summaries.push_back(summary.distribution());
  return out;
}

}  // namespace arbiter::ensemble
