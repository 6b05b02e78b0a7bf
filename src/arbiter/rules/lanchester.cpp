#include "arbiter/rules/lanchester.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::rules {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

/// Forces left once the square-law loser is gone (or the state if a side starts at 0).
ForcePair square_law_survivors(double x0, double y0, double a, double b) noexcept {
  if (x0 <= 0.0 || y0 <= 0.0) return {std::max(x0, 0.0), std::max(y0, 0.0)};
  if (a <= 0.0) return {x0, 0.0};
  if (b <= 0.0) return {0.0, y0};
  const double invariant = b * x0 * x0 - a * y0 * y0;
  if (invariant > 0.0) return {std::sqrt(invariant / b), 0.0};
  if (invariant < 0.0) return {0.0, std::sqrt(-invariant / a)};
  return {0.0, 0.0};
}

/// (1 - exp(-c t)) / c, continuous at c = 0 where it equals t.
double relaxation_integral(double c, double t) noexcept {
  return c == 0.0 ? t : -std::expm1(-c * t) / c;
}

}  // namespace

double square_law_time_to_annihilation(double x0, double y0, double a, double b) noexcept {
  if (x0 <= 0.0 || y0 <= 0.0) return 0.0;
  if (a <= 0.0 && b <= 0.0) return infinity;
  if (a <= 0.0) return y0 / (b * x0);  // X takes no losses, so Y falls at the constant rate b x0
  if (b <= 0.0) return x0 / (a * y0);
  const double invariant = b * x0 * x0 - a * y0 * y0;
  const double w = std::sqrt(a * b);
  if (invariant > 0.0) return std::atanh(std::sqrt(a / b) * y0 / x0) / w;
  if (invariant < 0.0) return std::atanh(std::sqrt(b / a) * x0 / y0) / w;
  return infinity;
}

ForcePair square_law(double x0, double y0, double a, double b, double t) noexcept {
  if (t <= 0.0) return {x0, y0};
  if (t >= square_law_time_to_annihilation(x0, y0, a, b)) return square_law_survivors(x0, y0, a, b);
  if (a <= 0.0 && b <= 0.0) return {x0, y0};
  if (a <= 0.0) return {x0, std::max(0.0, y0 - b * x0 * t)};
  if (b <= 0.0) return {std::max(0.0, x0 - a * y0 * t), y0};
  const double w = std::sqrt(a * b);
  const double invariant = b * x0 * x0 - a * y0 * y0;
  if (invariant == 0.0) {
    // Exact draw: both sides decay together; cosh - sinh would cancel catastrophically.
    const double decay = std::exp(-w * t);
    return {x0 * decay, y0 * decay};
  }
  const double c = std::cosh(w * t);
  const double s = std::sinh(w * t);
  return {std::max(0.0, x0 * c - std::sqrt(a / b) * y0 * s), std::max(0.0, y0 * c - std::sqrt(b / a) * x0 * s)};
}

ForcePair linear_law(double x0, double y0, double a, double b, double t) noexcept {
  if (t <= 0.0) return {x0, y0};
  // With C = b x - a y conserved, 1/x solves a linear ODE. The form below stays finite for
  // C = 0, for a or b = 0 and when exp(C t) overflows.
  const double c = b * x0 - a * y0;
  const double x = x0 / (std::exp(-c * t) + b * x0 * relaxation_integral(c, t));
  const double y = y0 / (std::exp(c * t) + a * y0 * relaxation_integral(-c, t));
  return {x, y};
}

std::vector<ForcePair> integrate_with_reinforcements(ForcePair start, double a, double b,
                                                     std::span<const Reinforcement> reinforcements,
                                                     std::span<const double> report_days, int steps_per_day) {
  check_invariant(steps_per_day > 0, "integrate_with_reinforcements needs steps_per_day > 0");
  std::vector<ForcePair> reported;
  reported.reserve(report_days.size());
  ForcePair state = start;
  double now = 0.0;
  for (const double report_day : report_days) {
    check_invariant(report_day >= now, "report days must be ascending and non-negative");
    while (now < report_day) {
      // The segment ends at the next jump of any reinforcement rate, or at the report day.
      double segment_end = report_day;
      for (const Reinforcement& r : reinforcements) {
        if (r.from_day > now && r.from_day < segment_end) segment_end = r.from_day;
        if (r.to_day > now && r.to_day < segment_end) segment_end = r.to_day;
      }
      const double midpoint = 0.5 * (now + segment_end);
      double inflow_x = 0.0;
      double inflow_y = 0.0;
      for (const Reinforcement& r : reinforcements) {
        if (r.from_day <= midpoint && midpoint < r.to_day) {
          (r.side == ForceSide::x ? inflow_x : inflow_y) += r.rate_per_day;
        }
      }
      const auto rate = [&](double /*t*/, ForcePair f) {
        // A destroyed side fires no more and loses no more.
        ForcePair d{inflow_x - a * std::max(f.y, 0.0), inflow_y - b * std::max(f.x, 0.0)};
        if (f.x <= 0.0 && d.x < 0.0) d.x = 0.0;
        if (f.y <= 0.0 && d.y < 0.0) d.y = 0.0;
        return d;
      };
      const int steps = std::max(1, static_cast<int>(std::ceil((segment_end - now) * steps_per_day)));
      const double h = (segment_end - now) / steps;
      for (int i = 0; i < steps; ++i) {
        const double t = now + i * h;
        state = rk4_lanchester(state, t, t + h, 1, rate);
        state = {std::max(state.x, 0.0), std::max(state.y, 0.0)};
      }
      now = segment_end;
    }
    reported.push_back(state);
  }
  return reported;
}

}  // namespace arbiter::rules
