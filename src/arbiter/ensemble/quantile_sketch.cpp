#include "arbiter/ensemble/quantile_sketch.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::ensemble {
namespace {

// Type-7 quantile of sorted values (R's default): interpolates between the order
// statistics at ranks floor((n-1)p) and the next one.
double sorted_quantile(const std::vector<double>& sorted, double probability) {
  const double position = static_cast<double>(sorted.size() - 1) * probability;
  const auto below = static_cast<std::size_t>(std::floor(position));
  const double fraction = position - static_cast<double>(below);
  if (fraction == 0.0 || below + 1 >= sorted.size()) return sorted[below];
  return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

// Type 7 between two neighbouring order statistics.
double type7(double low, double next, double fraction) {
  return fraction == 0.0 ? low : low + fraction * (next - low);
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

}  // namespace

void QuantileSketch::add_before_binning(double value) {
  if (point_mass_) {
    if (value == centre_) return;
    // The first value that differs from the point mass sets the scale.
    start_binning(std::fabs(value - centre_), std::fabs(value - centre_));
    add_to_bin(value);
    return;
  }
  if (uniform_) {
    // Until two values differ they are only counted: a cell all runs agree on (a shared
    // history) never stores or sorts its values.
    if (count_ == 1 || same_bits(value, uniform_value_)) {
      uniform_value_ = value;
      if (count_ < exact_capacity) return;
      // What the selection below finds for exact_capacity copies of one value.
      const double middle_fraction = static_cast<double>(exact_capacity - 1) * 0.5 -
                                     std::floor(static_cast<double>(exact_capacity - 1) * 0.5);
      centre_ = type7(value, value, middle_fraction);
      point_mass_ = true;
      uniform_ = false;
      return;
    }
    exact_.assign(count_ - 1, uniform_value_);
    uniform_ = false;
  }
  exact_.push_back(value);
  if (exact_.size() < exact_capacity) return;
  // Only seven order statistics are needed, so select them instead of sorting: first the
  // median pair, then the 5 % pair below it and the 95 % pair above it. The values they
  // give are those of the sorted sample, whatever order the selection leaves.
  std::vector<double> order = exact_;
  const auto at = [&](std::size_t rank) { return order.begin() + static_cast<std::ptrdiff_t>(rank); };
  const auto lower_rank = [&](double probability) {
    return static_cast<std::size_t>(std::floor(static_cast<double>(order.size() - 1) * probability));
  };
  // Type-7 quantile from the order statistics at `rank` and the smallest value after it.
  const auto interpolate = [&](double probability, std::size_t rank, double next) {
    return type7(*at(rank), next, static_cast<double>(order.size() - 1) * probability - static_cast<double>(rank));
  };
  const std::size_t middle = lower_rank(0.5);
  const std::size_t low = lower_rank(0.05);
  const std::size_t high = lower_rank(0.95);
  std::nth_element(order.begin(), at(middle), order.end());
  const double after_middle = *std::min_element(at(middle + 1), order.end());
  std::nth_element(order.begin(), at(low), at(middle));
  const double after_low = *std::min_element(at(low + 1), at(middle + 1));
  const double smallest = *std::min_element(order.begin(), at(low + 1));
  std::nth_element(at(middle + 1), at(high), order.end());
  const double after_high = *std::min_element(at(high + 1), order.end());
  const double largest = *std::max_element(at(high), order.end());
  centre_ = interpolate(0.5, middle, after_middle);
  // An atom (say 97 % zeros) can hide the 5 % or 95 % point in the centre; the extremes
  // still give a spread, and a side with no values at all borrows the other side's scale.
  double below = centre_ - interpolate(0.05, low, after_low);
  if (!(below > 0.0)) below = centre_ - smallest;
  double above = interpolate(0.95, high, after_high) - centre_;
  if (!(above > 0.0)) above = largest - centre_;
  if (!(below > 0.0)) below = above;
  if (!(above > 0.0)) above = below;
  if (below > 0.0) {
    start_binning(below, above);
  } else {
    point_mass_ = true;
    exact_.clear();
    exact_.shrink_to_fit();
  }
}

void QuantileSketch::start_binning(double scale_below, double scale_above) {
  check_invariant(scale_below > 0.0 && scale_above > 0.0, "quantile sketch scales must be positive");
  // A subnormal scale would make 0 * inf = NaN for values equal to the centre.
  const auto inverse = [](double scale) {
    const double value = 1.0 / scale;
    return std::isfinite(value) ? value : std::numeric_limits<double>::max();
  };
  inverse_scale_below_ = inverse(scale_below);
  inverse_scale_above_ = inverse(scale_above);
  bins_.assign(bin_count, Bin{});
  binned_ = true;
  if (point_mass_) {
    Bin& bin = bins_[bin_count / 2];  // u(centre) = 0 lies on the boundary of the middle bins
    const auto mass = static_cast<std::uint32_t>(count_ - 1);
    bin = Bin{.min = centre_, .max = centre_, .count = mass, .at_min = mass, .at_max = mass};
    point_mass_ = false;
    return;
  }
  std::vector<double> kept;
  kept.swap(exact_);  // frees the kept values when done
  add_to_bins(kept.data(), kept.size());
}

namespace {

// Two lanes of bin_index() at once, in GCC/Clang vector extensions: the scalar form's
// selections are compiled to branches (the compiler may not turn possibly trapping
// floating-point comparisons into selects), and whether a deviation is negative is a coin
// flip the branch predictor loses half the time. Lane by lane the same operations in the
// same order, so the indices are identical.
using DoublePair = double __attribute__((vector_size(16)));
using MaskPair = std::int64_t __attribute__((vector_size(16)));
using IndexPair = std::int32_t __attribute__((vector_size(8)));

DoublePair select(MaskPair mask, DoublePair if_true, DoublePair if_false) {
  return reinterpret_cast<DoublePair>((mask & reinterpret_cast<MaskPair>(if_true)) |
                                      (~mask & reinterpret_cast<MaskPair>(if_false)));
}

}  // namespace

void QuantileSketch::bin_indices(const double* values, std::size_t count, std::int32_t* indices) const noexcept {
  const DoublePair centre = {centre_, centre_};
  const DoublePair below = {inverse_scale_below_, inverse_scale_below_};
  const DoublePair above = {inverse_scale_above_, inverse_scale_above_};
  const DoublePair zero = {0.0, 0.0};
  const DoublePair one = {1.0, 1.0};
  const DoublePair largest = {1e300, 1e300};
  const DoublePair half_bins = {0.5 * static_cast<double>(bin_count), 0.5 * static_cast<double>(bin_count)};
  std::size_t i = 0;
  for (; i + 2 <= count; i += 2) {
    DoublePair value;
    std::memcpy(&value, values + i, sizeof value);
    const DoublePair deviation = value - centre;
    const DoublePair y = deviation * select(deviation < zero, below, above);
    const DoublePair bounded = select(y < -largest, -largest, select(y > largest, largest, y));
    const DoublePair magnitude = select(bounded < zero, -bounded, bounded);
    const DoublePair u = bounded / (one + magnitude);
    const DoublePair position = (u + one) * half_bins;
    // position lies in [0, bin_count] (never NaN), so the conversion is exact truncation.
    const IndexPair index = __builtin_convertvector(select(position > zero, position, zero), IndexPair);
    indices[i] = std::min(index[0], static_cast<std::int32_t>(bin_count) - 1);
    indices[i + 1] = std::min(index[1], static_cast<std::int32_t>(bin_count) - 1);
  }
  for (; i < count; ++i) indices[i] = static_cast<std::int32_t>(bin_index(values[i]));
}

void QuantileSketch::add_to_bins(const double* values, std::size_t count) {
  constexpr std::size_t batch = 256;
  std::array<std::int32_t, batch> indices;  // filled before use; zeroing would cost
  for (std::size_t next = 0; next < count; next += batch) {
    const std::size_t size = std::min(batch, count - next);
    bin_indices(values + next, size, indices.data());
    // The bins are rarely in cache when a cell's next block comes: ask for all the batch
    // needs before the first update waits for one.
    for (std::size_t i = 0; i < size; ++i) __builtin_prefetch(&bins_[static_cast<std::size_t>(indices[i])], 1);
    for (std::size_t i = 0; i < size; ++i) add_to_bin(values[next + i], static_cast<std::size_t>(indices[i]), 1);
  }
}

void QuantileSketch::add_many(const double* values, std::size_t count) {
  std::size_t next = 0;
  for (; next < count && !binned_; ++next) add(values[next]);
  count_ += count - next;
  add_to_bins(values + next, count - next);
}

void QuantileSketch::add_repeated(double value, std::uint64_t copies) {
  while (copies > 0 && !binned_) {
    if (point_mass_ && value == centre_) {
      count_ += copies;  // what add() does for each copy of the point mass
      return;
    }
    if (uniform_ && (count_ == 0 || same_bits(value, uniform_value_)) && count_ + 1 < exact_capacity) {
      // What add() does for each copy short of the one that fills the exact phase.
      const std::uint64_t counted = std::min<std::uint64_t>(copies, exact_capacity - 1 - count_);
      count_ += counted;
      uniform_value_ = value;
      copies -= counted;
      continue;
    }
    add(value);
    --copies;
  }
  if (copies == 0) return;
  check_invariant(count_ + copies <= max_count, "quantile sketch count beyond its 32-bit limit");
  count_ += copies;
  add_to_bin(value, bin_index(value), static_cast<std::uint32_t>(copies));
}

QuantileSketch::OrderStatistic QuantileSketch::order_statistic(std::uint64_t rank) const {
  std::uint64_t before = 0;
  for (const Bin& bin : bins_) {
    if (rank < before + bin.count) {
      const std::uint64_t within = rank - before;
      if (bin.min == bin.max || within < bin.at_min) return {.estimate = bin.min, .lower = bin.min, .upper = bin.min};
      if (within >= bin.count - bin.at_max) return {.estimate = bin.max, .lower = bin.max, .upper = bin.max};
      // Strictly between min and max: assume the other values are evenly spaced there.
      const std::uint64_t inside = bin.count - bin.at_min - bin.at_max;
      const double fraction =
          static_cast<double>(within - bin.at_min + 1) / static_cast<double>(inside + 1);
      return {.estimate = bin.min + (bin.max - bin.min) * fraction, .lower = bin.min, .upper = bin.max};
    }
    before += bin.count;
  }
  check_invariant(false, "quantile sketch rank beyond its count");
  return {};
}

double QuantileSketch::quantile(double probability) const {
  double value = 0.0;
  quantiles(std::span<const double>(&probability, 1), std::span<double>(&value, 1));
  return value;
}

void QuantileSketch::quantiles(std::span<const double> probabilities, std::span<double> out) const {
  check_invariant(probabilities.size() == out.size(), "quantiles: one output per probability");
  for (const double probability : probabilities) {
    check_invariant(probability >= 0.0 && probability <= 1.0, "quantile probability must lie in [0, 1]");
  }
  const auto fill = [&](double value) { std::fill(out.begin(), out.end(), value); };
  if (count_ == 0) return fill(std::numeric_limits<double>::quiet_NaN());
  if (point_mass_) return fill(centre_);
  if (!binned_) {
    if (uniform_) return fill(uniform_value_);  // every quantile of copies of one value is that value
    std::vector<double> sorted = exact_;  // sorted once for all the probabilities
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t k = 0; k < probabilities.size(); ++k) out[k] = sorted_quantile(sorted, probabilities[k]);
    return;
  }
  for (std::size_t k = 0; k < probabilities.size(); ++k) {
    const double position = static_cast<double>(count_ - 1) * probabilities[k];
    const auto below = static_cast<std::uint64_t>(std::floor(position));
    const double fraction = position - static_cast<double>(below);
    const double low = order_statistic(below).estimate;
    out[k] = fraction == 0.0 || below + 1 >= count_ ? low : low + fraction * (order_statistic(below + 1).estimate - low);
  }
}

QuantileSketch::Bracket QuantileSketch::bracket(double probability) const {
  if (!binned_) {
    const double value = quantile(probability);
    return {.lower = value, .upper = value};
  }
  const double position = static_cast<double>(count_ - 1) * probability;
  const auto below = static_cast<std::uint64_t>(std::floor(position));
  const double fraction = position - static_cast<double>(below);
  const OrderStatistic low = order_statistic(below);
  if (fraction == 0.0 || below + 1 >= count_) return {.lower = low.lower, .upper = low.upper};
  return {.lower = low.lower, .upper = order_statistic(below + 1).upper};
}

}  // namespace arbiter::ensemble
