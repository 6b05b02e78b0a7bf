#include "arbiter/rules/richardson.hpp"

#include <cmath>
#include <limits>

#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>

namespace arbiter::rules {

RichardsonEquilibrium richardson_equilibrium(const RichardsonParams& p) noexcept {
  const double det = p.a * p.b - p.k * p.l;
  RichardsonEquilibrium result{};
  if (det != 0.0) {
    result.x = (p.b * p.g + p.k * p.h) / det;
    result.y = (p.l * p.g + p.a * p.h) / det;
  } else {
    result.x = std::numeric_limits<double>::quiet_NaN();
    result.y = std::numeric_limits<double>::quiet_NaN();
  }
  const double half_trace = -(p.a + p.b) / 2.0;
  const double discriminant = (p.a - p.b) * (p.a - p.b) + 4.0 * p.k * p.l;
  const double half_spread = discriminant > 0.0 ? std::sqrt(discriminant) / 2.0 : 0.0;
  result.eigenvalue_low = half_trace - half_spread;
  result.eigenvalue_high = half_trace + half_spread;
  // For a 2x2 system both eigenvalues have negative real parts iff trace < 0 and det > 0.
  result.stable = (p.a + p.b) > 0.0 && det > 0.0;
  return result;
}

std::array<double, 2> richardson_euler_step(const RichardsonParams& p, std::array<double, 2> x,
                                            double dt_years) noexcept {
  return {x[0] + dt_years * (p.k * x[1] - p.a * x[0] + p.g),
          x[1] + dt_years * (p.l * x[0] - p.b * x[1] + p.h)};
}

std::array<double, 2> richardson_euler_step(const RichardsonParams& p, std::array<double, 2> x) noexcept {
  return richardson_euler_step(p, x, 1.0);
}

RichardsonExactStep::RichardsonExactStep(const RichardsonParams& p, double dt_years) {
  // exp of the augmented matrix [[M, c], [0, 0]] * dt holds Phi in its top-left block and
  // Gamma in its top-right column, with no inverse of M anywhere.
  Eigen::Matrix3d augmented = Eigen::Matrix3d::Zero();
  augmented(0, 0) = -p.a;
  augmented(0, 1) = p.k;
  augmented(1, 0) = p.l;
  augmented(1, 1) = -p.b;
  augmented(0, 2) = p.g;
  augmented(1, 2) = p.h;
  const Eigen::Matrix3d propagator = (augmented * dt_years).exp();
  phi_ = {propagator(0, 0), propagator(0, 1), propagator(1, 0), propagator(1, 1)};
  gamma_ = {propagator(0, 2), propagator(1, 2)};
}

std::array<double, 2> RichardsonExactStep::operator()(std::array<double, 2> x) const noexcept {
  return {phi_[0] * x[0] + phi_[1] * x[1] + gamma_[0], phi_[2] * x[0] + phi_[3] * x[1] + gamma_[1]};
}

}  // namespace arbiter::rules
