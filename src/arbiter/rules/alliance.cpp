#include "arbiter/rules/alliance.hpp"

#include "arbiter/rules/contest.hpp"

namespace arbiter::rules {

double alliance_adjusted_win_probability(double own, double enemy, std::span<const AllyContribution> allies,
                                         double decisiveness_m) noexcept {
  const std::size_t n = allies.size() < max_enumerated_allies ? allies.size() : max_enumerated_allies;
  const std::size_t subsets = std::size_t{1} << n;
  double expected = 0.0;
  for (std::size_t mask = 0; mask < subsets; ++mask) {
    double probability = 1.0;
    double own_side = own;
    double enemy_side = enemy;
    for (std::size_t j = 0; j < n; ++j) {
      const AllyContribution& ally = allies[j];
      if ((mask >> j) & 1U) {
        probability *= ally.intervention_probability;
        (ally.joins_own_side ? own_side : enemy_side) += ally.capability;
      } else {
        probability *= 1.0 - ally.intervention_probability;
      }
    }
    if (probability > 0.0) expected += probability * tullock(own_side, enemy_side, decisiveness_m);
  }
  return expected;
}

}  // namespace arbiter::rules
