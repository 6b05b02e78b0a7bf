#include "arbiter/validation/scoring.hpp"

#include <algorithm>
#include <cmath>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::validation {

double brier_score(double probability, bool happened) {
  check_invariant(probability >= 0.0 && probability <= 1.0, "a forecast probability lies in [0, 1]");
  const double outcome = happened ? 1.0 : 0.0;
  return (probability - outcome) * (probability - outcome);
}

double frequency_standard_error(double probability, std::uint64_t runs) {
  check_invariant(runs > 0, "a frequency needs at least one run");
  const double n = static_cast<double>(runs);
  // At 0 or 1 the binomial formula gives 0; one pseudo-run keeps the error honest.
  const double p = std::clamp(probability, 1.0 / (n + 1.0), n / (n + 1.0));
  return std::sqrt(p * (1.0 - p) / n);
}

double brier_standard_error(double probability, bool happened, double probability_se) {
  const double distance = std::abs(probability - (happened ? 1.0 : 0.0));
  return std::max(2.0 * distance * probability_se, probability_se * probability_se);
}

double probability_within(double annual_probability, double years) {
  check_invariant(annual_probability >= 0.0 && annual_probability <= 1.0, "an annual probability lies in [0, 1]");
  check_invariant(years >= 0.0, "a window has a non-negative length");
  return 1.0 - std::pow(1.0 - annual_probability, years);
}

}  // namespace arbiter::validation
