#pragma once

#include <cmath>

#include <cstddef>
#include <span>

// Contest success functions: the probability that a side wins a war, given the efforts or
// effective capabilities of the sides (models.md §3). Called per dyad per simulated quarter,
// so everything here is allocation-free.
namespace arbiter::rules {

/// Tullock ratio form x^m / (x^m + y^m): probability that X beats Y. Depends only on x/y.
/// Zero against zero is a coin toss (0.5). `decisiveness_m` > 0; m = 1 is the lottery.
/// Inline: the engine evaluates it along every projected path, each quarter of each run.
[[nodiscard]] inline double tullock(double x, double y, double decisiveness_m) noexcept {
  if (x <= 0.0 && y <= 0.0) return 0.5;
  if (y <= 0.0) return 1.0;
  if (x <= 0.0) return 0.0;
  if (decisiveness_m == 1.0) return x / (x + y);  // the lottery form; no pow on the hot path
  // Written with the ratio so that large efforts or large m cannot overflow x^m.
  return 1.0 / (1.0 + std::pow(y / x, decisiveness_m));
}

/// Hirshleifer difference form 1 / (1 + exp(-k (x - y))). Depends only on x - y, so a side
/// with no effort still has a positive chance. `k` is per unit of effort.
[[nodiscard]] double logistic_contest(double x, double y, double k) noexcept;

/// Share of party i among n parties: x_i^m / sum_j x_j^m; all-zero efforts give 1/n.
/// Returns 0 when `i` is out of range.
[[nodiscard]] double tullock_share(std::span<const double> efforts, std::size_t i, double m) noexcept;

}  // namespace arbiter::rules
