#include "arbiter/rng/distributions.hpp"

#include <cmath>
#include <numbers>

namespace arbiter::rng {

double uniform(Stream& stream, double low, double high) noexcept {
  return low + (high - low) * stream.next_unit();
}

bool bernoulli(Stream& stream, double probability) noexcept { return stream.next_unit() < probability; }

double standard_normal(Stream& stream) noexcept {
  const double u1 = 1.0 - stream.next_unit();  // (0, 1]: log is finite
  const double u2 = stream.next_unit();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double normal(Stream& stream, double mean, double sd) noexcept { return mean + sd * standard_normal(stream); }

double lognormal(Stream& stream, double median, double sigma_log) noexcept {
  return median * std::exp(sigma_log * standard_normal(stream));
}

double gamma(Stream& stream, double shape) noexcept {
  if (shape < 1.0) {
    // Gamma(a) = Gamma(a+1) * U^(1/a)
    const double boost = std::pow(1.0 - stream.next_unit(), 1.0 / shape);
    return gamma(stream, shape + 1.0) * boost;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = 0.0;
    double v = 0.0;
    do {
      x = standard_normal(stream);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = 1.0 - stream.next_unit();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double beta(Stream& stream, double alpha, double beta_shape) noexcept {
  const double x = gamma(stream, alpha);
  const double y = gamma(stream, beta_shape);
  return x + y > 0.0 ? x / (x + y) : 0.5;
}

unsigned poisson(Stream& stream, double mean) noexcept {
  if (!(mean > 0.0)) return 0;
  const double u = stream.next_unit();
  double probability = std::exp(-mean);
  double cumulative = probability;
  unsigned k = 0;
  // The cap keeps a huge mean from looping for long; such means are rejected at input.
  while (u >= cumulative && k < 10'000) {
    ++k;
    probability *= mean / k;
    cumulative += probability;
  }
  return k;
}

}  // namespace arbiter::rng
