#pragma once

#include <array>

// Richardson's linear arms-race model (models.md §1):
//   dx/dt = k y - a x + g,   dy/dt = l x - b y + h,
// i.e. X' = M X + c with M = [[-a, k], [l, -b]] and c = (g, h). All rates are per year.
namespace arbiter::rules {

struct RichardsonParams {
  double k;  // X's reaction to Y's arms, per year
  double l;  // Y's reaction to X's arms, per year
  double a;  // X's fatigue (drag of its own arms), per year
  double b;  // Y's fatigue, per year
  double g;  // X's grievance, arms units per year (negative = goodwill)
  double h;  // Y's grievance, arms units per year
};

struct RichardsonEquilibrium {
  double x;               // NaN when det(M) = 0 (no unique equilibrium)
  double y;
  double eigenvalue_low;  // real parts; equal when the eigenvalues are complex (only if k*l < 0)
  double eigenvalue_high;
  bool stable;            // trace(M) < 0 and det(M) > 0, i.e. a + b > 0 and a*b > k*l
};

[[nodiscard]] RichardsonEquilibrium richardson_equilibrium(const RichardsonParams& params) noexcept;

/// One forward-Euler step of one coefficient time unit: X_{n+1} = X_n + M X_n + c (oracle R2).
/// Only for the discrete teaching form; the engine should use RichardsonExactStep.
[[nodiscard]] std::array<double, 2> richardson_euler_step(const RichardsonParams& params,
                                                          std::array<double, 2> x) noexcept;
/// Forward-Euler step of `dt_years`. Can oscillate or diverge for large a*dt even when the ODE
/// is stable.
[[nodiscard]] std::array<double, 2> richardson_euler_step(const RichardsonParams& params,
                                                          std::array<double, 2> x, double dt_years) noexcept;

/// Exact discretisation X' = Phi X + Gamma with Phi = exp(M dt) and
/// Gamma = (integral_0^dt exp(M s) ds) c. Exact for coefficients held constant over the step,
/// stable iff the ODE is, and valid when det(M) = 0 (Gamma is computed without M^{-1}).
/// Build once per parameter set and reuse: the call operator is a 2x2 multiply-add.
class RichardsonExactStep {
 public:
  RichardsonExactStep(const RichardsonParams& params, double dt_years);
  [[nodiscard]] std::array<double, 2> operator()(std::array<double, 2> x) const noexcept;

  [[nodiscard]] const std::array<double, 4>& transition() const noexcept { return phi_; }  // row-major
  [[nodiscard]] const std::array<double, 2>& offset() const noexcept { return gamma_; }

 private:
  std::array<double, 4> phi_{};
  std::array<double, 2> gamma_{};
};

}  // namespace arbiter::rules
