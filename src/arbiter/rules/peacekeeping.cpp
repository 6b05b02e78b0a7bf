#include "arbiter/rules/peacekeeping.hpp"

#include <cmath>

namespace arbiter::rules {
namespace {

double weibull_cumulative_hazard(double lambda, double kappa, double years) noexcept {
  return years <= 0.0 ? 0.0 : std::pow(lambda * years, kappa);
}

}  // namespace

double quarterly_breakdown_constant(double hazard_per_year, double hazard_ratio) noexcept {
  // -expm1 keeps precision for the small hazards typical of a single quarter.
  return -std::expm1(-hazard_per_year * hazard_ratio * 0.25);
}

double quarterly_breakdown_weibull(double lambda, double kappa, int quarter_number, double hazard_ratio) noexcept {
  if (quarter_number < 1) return 0.0;
  const double increment = weibull_cumulative_hazard(lambda, kappa, quarter_number * 0.25) -
                           weibull_cumulative_hazard(lambda, kappa, (quarter_number - 1) * 0.25);
  return -std::expm1(-hazard_ratio * increment);
}

double survival_constant(double hazard_per_year, double hazard_ratio, double years) noexcept {
  return std::exp(-hazard_per_year * hazard_ratio * years);
}

double tripwire_attack_utility(double p_alone, double p_vs_coalition, double stake, double cost_attack,
                               double entry_probability, double extra_cost) noexcept {
  const double win = (1.0 - entry_probability) * p_alone + entry_probability * p_vs_coalition;
  return win * stake - cost_attack - entry_probability * extra_cost;
}

}  // namespace arbiter::rules
