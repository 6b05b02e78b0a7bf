#include "arbiter/rules/contest.hpp"

#include <algorithm>
#include <cmath>

namespace arbiter::rules {

double logistic_contest(double x, double y, double k) noexcept {
  return 1.0 / (1.0 + std::exp(-k * (x - y)));
}

double tullock_share(std::span<const double> efforts, std::size_t i, double m) noexcept {
  if (i >= efforts.size()) return 0.0;
  double largest = 0.0;
  for (const double e : efforts) largest = std::max(largest, e);
  if (largest <= 0.0) return 1.0 / static_cast<double>(efforts.size());
  // Scale by the largest effort: the terms are then in [0, 1] and the sum cannot overflow.
  double total = 0.0;
  for (const double e : efforts) total += e > 0.0 ? std::pow(e / largest, m) : 0.0;
  const double own = efforts[i] > 0.0 ? std::pow(efforts[i] / largest, m) : 0.0;
  return own / total;
}

}  // namespace arbiter::rules
