#include "arbiter/ensemble/aggregates.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace arbiter::ensemble {

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

}  // namespace

void CellAccumulator::add_many(const double* values, std::size_t count) {
  if (count == 0) return;
  std::size_t next = 0;
  if (count_ == 0) {
    shift_ = values[0];
  } else {
    // Most often (a shared history) the whole batch continues the open group.
    while (next < count && same_bits(values[next], pending_value_)) ++next;
    if (next > 0) sketch_.add_repeated(pending_value_, next);
    pending_copies_ += next;
    count_ += next;
    if (next == count) return;
    fold_group(pending_value_, pending_copies_);
  }
  count_ += count - next;
  // values[next] starts a new group. Stretches of groups of one go through the batched
  // path; longer groups are folded at once; the last group stays open.
  std::size_t singles = next;
  while (true) {
    std::size_t end = next + 1;
    while (end < count && same_bits(values[end], values[next])) ++end;
    if (end == count || end - next > 1) {
      fold_singles(values + singles, next - singles);
      sketch_.add_repeated(values[next], end - next);
      if (end == count) {
        pending_value_ = values[next];
        pending_copies_ = end - next;
        return;
      }
      fold_group(values[next], end - next);
      singles = end;
    }
    next = end;
  }
}

void CellAccumulator::fold_singles(const double* values, std::size_t count) {
  if (count == 0) return;
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

Distribution CellAccumulator::distribution() const {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (count_ == 0) return {nan, nan, nan, nan, nan, nan, nan};
  // The open group, counted in exactly as fold_group() will once it closes.
  double sum = sum_;
  double sum_of_squares = sum_of_squares_;
  add_group(sum, sum_of_squares, pending_value_ - shift_, pending_copies_);
  const auto n = static_cast<double>(count_);
  const double mean_deviation = sum / n;
  double standard_deviation = nan;
  if (count_ > 1) {
    const double variance = (sum_of_squares - sum * mean_deviation) / (n - 1.0);
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
      // Each run's line is far from the others: ask for its next line two chunks ahead.
      if (chunk_begin + 2 * chunk < last_cell) __builtin_prefetch(values + 2 * chunk);
      for (std::size_t c = 0; c < width; ++c) buffer[c * run_count + r] = values[c];
    }
    for (std::size_t c = 0; c < width; ++c) {
      if (chunk_begin + c + 1 < last_cell) cells_[chunk_begin + c + 1].prefetch();
      cells_[chunk_begin + c].add_many(buffer.data() + c * run_count, run_count);
    }
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
