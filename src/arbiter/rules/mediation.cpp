#include "arbiter/rules/mediation.hpp"

#include <algorithm>
#include <limits>

namespace arbiter::rules {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

/// Delta(q', bias) is linear in bias: Delta = slope * bias - offset.
struct LinearInBias {
  double slope;
  double offset;
};

LinearInBias gain_coefficients(double q, const KyddParams& k) noexcept {
  const double spread = k.cost_low - k.cost_high;
  return {2.0 * (1.0 - q) * spread - q * (k.cost_a + k.cost_high), (1.0 - q) * spread + q * k.war_aversion};
}

}  // namespace

double kydd_posterior_after_low(const KyddParams& k) noexcept {
  const double high_and_low_signal = k.prior_high * (1.0 - k.accuracy);
  return high_and_low_signal / (high_and_low_signal + (1.0 - k.prior_high) * k.accuracy);
}

double kydd_posterior_after_high(const KyddParams& k) noexcept {
  const double high_and_high_signal = k.prior_high * k.accuracy;
  return high_and_high_signal / (high_and_high_signal + (1.0 - k.prior_high) * (1.0 - k.accuracy));
}

bool kydd_prefers_risky_demand(double posterior, const KyddParams& k) noexcept {
  return (1.0 - posterior) * (k.cost_low - k.cost_high) > posterior * (k.cost_a + k.cost_high);
}

double kydd_gain_from_low(double posterior, double bias, const KyddParams& k) noexcept {
  const LinearInBias c = gain_coefficients(posterior, k);
  return c.slope * bias - c.offset;
}

Credibility kydd_credibility_bounds(const KyddParams& k) noexcept {
  Credibility bounds{-infinity, infinity};
  // After "low": slope * bias >= offset.
  const LinearInBias low = gain_coefficients(kydd_posterior_after_low(k), k);
  if (low.slope > 0.0) {
    bounds.bias_low = std::max(bounds.bias_low, low.offset / low.slope);
  } else if (low.slope < 0.0) {
    bounds.bias_high = std::min(bounds.bias_high, low.offset / low.slope);
  } else if (low.offset > 0.0) {
    return {infinity, -infinity};
  }
  // After "high": slope * bias <= offset. A negative slope makes it a lower bound, usually
  // negative and so slack for every bias in [0, 1].
  const LinearInBias high = gain_coefficients(kydd_posterior_after_high(k), k);
  if (high.slope > 0.0) {
    bounds.bias_high = std::min(bounds.bias_high, high.offset / high.slope);
  } else if (high.slope < 0.0) {
    bounds.bias_low = std::max(bounds.bias_low, high.offset / high.slope);
  } else if (high.offset < 0.0) {
    return {infinity, -infinity};
  }
  return bounds;
}

bool kydd_is_credible(double bias, const KyddParams& k) noexcept {
  return kydd_gain_from_low(kydd_posterior_after_low(k), bias, k) >= 0.0 &&
         kydd_gain_from_low(kydd_posterior_after_high(k), bias, k) <= 0.0;
}

double kydd_war_probability(bool credible, const KyddParams& k) noexcept {
  const double q = k.prior_high;
  if (!credible) return kydd_prefers_risky_demand(q, k) ? q : 0.0;
  double war = 0.0;
  if (kydd_prefers_risky_demand(kydd_posterior_after_low(k), k)) war += q * (1.0 - k.accuracy);
  if (kydd_prefers_risky_demand(kydd_posterior_after_high(k), k)) war += q * k.accuracy;
  return war;
}

}  // namespace arbiter::rules
