#include "arbiter/ensemble/quantile_sketch.hpp"

#include <algorithm>
#include <array>
#include <cmath>
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

}  // namespace

void QuantileSketch::add_before_binning(double value) {
  if (point_mass_) {
    if (value == centre_) return;
    // The first value that differs from the point mass sets the scale.
    start_binning(std::fabs(value - centre_), std::fabs(value - centre_));
    add_to_bin(value);
    return;
  }
  exact_.push_back(value);
  if (exact_.size() < exact_capacity) return;
  std::vector<double> sorted = exact_;
  std::sort(sorted.begin(), sorted.end());
  centre_ = sorted_quantile(sorted, 0.5);
  // An atom (say 97 % zeros) can hide the 5 % or 95 % point in the centre; the extremes
  // still give a spread, and a side with no values at all borrows the other side's scale.
  double below = centre_ - sorted_quantile(sorted, 0.05);
  if (!(below > 0.0)) below = centre_ - sorted.front();
  double above = sorted_quantile(sorted, 0.95) - centre_;
  if (!(above > 0.0)) above = sorted.back() - centre_;
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
  for (const double value : exact_) add_to_bin(value);
  exact_.clear();
  exact_.shrink_to_fit();
}

void QuantileSketch::add_many(const double* values, std::size_t count) {
  std::size_t next = 0;
  for (; next < count && !binned_; ++next) add(values[next]);
  count_ += count - next;
  constexpr std::size_t batch = 256;
  std::array<std::uint32_t, batch> indices{};
  while (next < count) {
    const std::size_t size = std::min(batch, count - next);
    for (std::size_t i = 0; i < size; ++i) indices[i] = static_cast<std::uint32_t>(bin_index(values[next + i]));
    for (std::size_t i = 0; i < size; ++i) add_to_bin(values[next + i], indices[i]);
    next += size;
  }
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
  check_invariant(probability >= 0.0 && probability <= 1.0, "quantile probability must lie in [0, 1]");
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  if (point_mass_) return centre_;
  if (!binned_) {
    std::vector<double> sorted = exact_;
    std::sort(sorted.begin(), sorted.end());
    return sorted_quantile(sorted, probability);
  }
  const double position = static_cast<double>(count_ - 1) * probability;
  const auto below = static_cast<std::uint64_t>(std::floor(position));
  const double fraction = position - static_cast<double>(below);
  const double low = order_statistic(below).estimate;
  if (fraction == 0.0 || below + 1 >= count_) return low;
  return low + fraction * (order_statistic(below + 1).estimate - low);
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
