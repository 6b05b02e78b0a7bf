#include "arbiter/rules/contest.hpp"

#include <algorithm>
#include <cmath>

namespace arbiter::rules {

double tullock(double x, double y, double decisiveness_m) noexcept {
  if (x <= 0.0 && y <= 0.0) return 0.5;
  if (y <= 0.0) return 1.0;
  if (x <= 0.0) return 0.0;
  if (decisiveness_m == 1.0) return x / (x + y);  // the lottery form; no pow on the hot path
  // Written with the ratio so that large efforts or large m cannot overflow x^m.
  return 1.0 / (1.0 + std::pow(y / x, decisiveness_m));
}

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
