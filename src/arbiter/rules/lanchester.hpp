#pragma once

#include <span>
#include <vector>

// Lanchester attrition (models.md §2). Time is in days here, because battles are sub-stepped
// daily inside a quarter; coefficients are per day accordingly.
namespace arbiter::rules {

/// Strengths of the two sides X and Y (troops or equivalent units).
struct ForcePair {
  double x;
  double y;
  friend bool operator==(const ForcePair&, const ForcePair&) = default;
};

/// Aimed fire: dx/dt = -a y, dy/dt = -b x, in closed form. `a` is Y's effectiveness against X
/// and `b` is X's against Y (casualties per enemy unit per day). Once a side reaches 0 it stays
/// there and the other keeps its survivor value.
[[nodiscard]] ForcePair square_law(double x0, double y0, double a, double b, double t) noexcept;

/// Day on which the losing side of the square law reaches 0; +inf when nobody ever does
/// (an exact draw b x0^2 = a y0^2 decays only asymptotically, or neither side can hit the other).
[[nodiscard]] double square_law_time_to_annihilation(double x0, double y0, double a, double b) noexcept;

/// Area (unaimed) fire: dx/dt = -a x y, dy/dt = -b x y, in closed form. Neither side reaches 0
/// in finite time; the winner tends to x0 - (a/b) y0 (or y0 - (b/a) x0).
[[nodiscard]] ForcePair linear_law(double x0, double y0, double a, double b, double t) noexcept;

/// Classical fourth-order Runge-Kutta for any two-force law `rate(t, forces) -> ForcePair`
/// with `steps` equal steps from t0 to t1. No clamping: the caller's law decides what a
/// negative force means. `rate` must be continuous on [t0, t1] for fourth-order accuracy.
template <typename RateFunction>
[[nodiscard]] ForcePair rk4_lanchester(ForcePair start, double t0, double t1, int steps, RateFunction&& rate) {
  if (steps <= 0) return start;
  const double h = (t1 - t0) / steps;
  ForcePair s = start;
  for (int i = 0; i < steps; ++i) {
    const double t = t0 + i * h;  // not accumulated, so no drift in the stage times
    const ForcePair k1 = rate(t, s);
    const ForcePair k2 = rate(t + h / 2, ForcePair{s.x + h / 2 * k1.x, s.y + h / 2 * k1.y});
    const ForcePair k3 = rate(t + h / 2, ForcePair{s.x + h / 2 * k2.x, s.y + h / 2 * k2.y});
    const ForcePair k4 = rate(t + h, ForcePair{s.x + h * k3.x, s.y + h * k3.y});
    s.x += h / 6 * (k1.x + 2 * k2.x + 2 * k3.x + k4.x);
    s.y += h / 6 * (k1.y + 2 * k2.y + 2 * k3.y + k4.y);
  }
  return s;
}

enum class ForceSide { x, y };

/// Troops arriving at a constant rate on [from_day, to_day) (Engel's P(t)). Rates of
/// overlapping reinforcements add up.
struct Reinforcement {
  double from_day;
  double to_day;
  double rate_per_day;
  ForceSide side = ForceSide::x;
};

/// Square law with piecewise-constant reinforcements, dx/dt = P_x(t) - a y, dy/dt = P_y(t) - b x,
/// from day 0, integrated by RK4 segment by segment so that no stage straddles a jump in P
/// (evaluating P across a jump loses about h/6 of the jump per boundary). Returns the forces
/// on each of `report_days` (ascending, >= 0). A side that reaches 0 stays at 0 unless
/// reinforced, and a side at 0 does no damage.
[[nodiscard]] std::vector<ForcePair> integrate_with_reinforcements(ForcePair start, double a, double b,
                                                                   std::span<const Reinforcement> reinforcements,
                                                                   std::span<const double> report_days,
                                                                   int steps_per_day);

}  // namespace arbiter::rules
