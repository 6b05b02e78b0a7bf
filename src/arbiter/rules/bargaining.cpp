#include "arbiter/rules/bargaining.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace arbiter::rules {

BargainingRange fearon_range(double p, double cost_a, double cost_b) noexcept {
  return {std::max(0.0, p - cost_a), std::min(1.0, p + cost_b)};
}

RiskReturnOffer fearon_uniform_offer(double p, double cost_a, double cost_b_max) noexcept {
  // U_A(x) is a concave quadratic on [p, p + c_max]; its vertex is the interior optimum.
  double offer = p;
  if (cost_b_max > 0.0 && cost_a < cost_b_max) offer = std::min(p + 0.5 * (cost_b_max - cost_a), 1.0);
  const double war_probability = cost_b_max > 0.0 ? std::clamp((offer - p) / cost_b_max, 0.0, 1.0) : 0.0;
  const double utility = (1.0 - war_probability) * offer + war_probability * (p - cost_a);
  return {offer, war_probability, utility};
}

PowellFlags powell_one_step(double delta, double pi_now, double pi_next, double cost_d, double cost_s) noexcept {
  PowellFlags flags{};
  const double surplus_today = (1.0 - delta) * (1.0 - pi_now);
  flags.lhs = delta * (pi_now - pi_next);
  flags.rhs_robust = surplus_today + cost_d + delta * cost_s;
  flags.rhs_rising = surplus_today + (1.0 - delta) * cost_d;
  flags.war_robust = flags.lhs > flags.rhs_robust;
  flags.war_rising = flags.lhs > flags.rhs_rising;
  return flags;
}

CommitmentGap commitment_gap(std::span<const double> pi_path, double cost_d, double cost_s,
                             double delta_per_step) noexcept {
  if (pi_path.size() < 2) return {-std::numeric_limits<double>::infinity(), 0};
  double best_bound = std::numeric_limits<double>::infinity();
  int best_k = 0;
  double discount = 1.0;  // delta^K, built up by multiplication: no pow in the hot loop
  for (std::size_t k = 1; k < pi_path.size(); ++k) {
    discount *= delta_per_step;
    // What D can be promised if S's concessions stop at step K: D's share until K, then at
    // most what S would leave D rather than fight at K.
    const double bound = (1.0 - discount) + discount * (pi_path[k] + cost_s);
    if (bound < best_bound) {
      best_bound = bound;
      best_k = static_cast<int>(k);
    }
  }
  return {(pi_path[0] - cost_d) - best_bound, best_k};
}

double quarterly_discount(double delta_per_year) noexcept { return std::pow(delta_per_year, 0.25); }

double logistic_hazard(double gap, double h_max, double tau) noexcept {
  if (tau <= 0.0) return gap > 0.0 ? h_max : (gap < 0.0 ? 0.0 : 0.5 * h_max);
  return h_max / (1.0 + std::exp(-gap / tau));
}

}  // namespace arbiter::rules
