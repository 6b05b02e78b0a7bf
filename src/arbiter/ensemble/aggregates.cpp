#include "arbiter/ensemble/aggregates.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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
  // values[next] starts a new group; every group goes into the moments at once, the last
  // one stays open. The sketch's state does not depend on how values are grouped, so only
  // long groups are worth add_repeated(); the others stay in the batch they interrupt,
  // whose bin indices are computed together.
  constexpr std::size_t long_group = 4;
  std::size_t sketch_from = next;  // values[sketch_from, next) are not in the sketch yet
  double sum = sum_;
  double sum_of_squares = sum_of_squares_;
  while (true) {
    std::size_t end = next + 1;
    while (end < count && same_bits(values[end], values[next])) ++end;
    const std::size_t copies = end - next;
    if (copies >= long_group) {
      sketch_.add_many(values + sketch_from, next - sketch_from);
      sketch_.add_repeated(values[next], copies);
      sketch_from = end;
    }
    if (end == count) break;
    add_group(sum, sum_of_squares, values[next] - shift_, copies);
    next = end;
  }
  sum_ = sum;
  sum_of_squares_ = sum_of_squares;
  pending_value_ = values[next];
  pending_copies_ = count - next;
  sketch_.add_many(values + sketch_from, count - sketch_from);
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
  constexpr std::array<double, 5> probabilities{0.05, 0.25, 0.50, 0.75, 0.95};
  std::array<double, 5> q{};
  sketch_.quantiles(probabilities, q);
  return {.mean = shift_ + mean_deviation,
          .standard_deviation = standard_deviation,
          .q05 = q[0],
          .q25 = q[1],
          .q50 = q[2],
          .q75 = q[3],
          .q95 = q[4]};
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
    const std::size_t prefetch_at = chunk_begin + 2 * chunk < last_cell ? 2 * chunk : 0;
    // Where runs share their history, a run's whole line repeats the cells' open groups:
    // such leading runs are counted without copying them.
    // Bits compared, so 0.0 and -0.0 differ.
    std::array<std::uint64_t, chunk> open_bits{};
    bool all_open = true;
    for (std::size_t c = 0; c < width; ++c) {
      double value = 0.0;
      all_open = all_open && cells_[chunk_begin + c].open_group(value);
      open_bits[c] = std::bit_cast<std::uint64_t>(value);
    }
    std::size_t shared_runs = 0;
    if (all_open) {
      for (; shared_runs < run_count; ++shared_runs) {
        const double* values = runs[shared_runs].series.data() + chunk_begin;
        __builtin_prefetch(values + prefetch_at);
        std::uint64_t differences = 0;
        if (width == chunk) {  // a fixed size, so the copy is two vector loads
          std::array<std::uint64_t, chunk> bits;
          std::memcpy(bits.data(), values, sizeof bits);
          for (std::size_t c = 0; c < chunk; ++c) differences |= bits[c] ^ open_bits[c];
        } else {
          for (std::size_t c = 0; c < width; ++c) differences |= std::bit_cast<std::uint64_t>(values[c]) ^ open_bits[c];
        }
        if (differences != 0) break;
      }
      if (shared_runs > 0) {
        for (std::size_t c = 0; c < width; ++c) cells_[chunk_begin + c].extend_open_group(shared_runs);
      }
    }
    if (shared_runs == run_count) continue;
    const std::size_t rest = run_count - shared_runs;
    for (std::size_t r = shared_runs; r < run_count; ++r) {
      const double* values = runs[r].series.data() + chunk_begin;
      // Each run's line is far from the others: ask for its next line two chunks ahead.
      __builtin_prefetch(values + prefetch_at);
      for (std::size_t c = 0; c < width; ++c) buffer[c * rest + (r - shared_runs)] = values[c];
    }
    for (std::size_t c = 0; c < width; ++c) cells_[chunk_begin + c].add_many(buffer.data() + c * rest, rest);
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
  // Cells are independent: computed in parallel (on the calling arena's threads), each the same.
  out.series.resize(cells_.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells_.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t c = range.begin(); c != range.end(); ++c) out.series[c] = cells_[c].distribution();
                    });
  out.summaries.reserve(summaries_.size());
  for (const CellAccumulator& summary : summaries_) out.summaries.push_back(summary.distribution());
  return out;
}

}  // namespace arbiter::ensemble
