#pragma once

// Peacekeeping (models.md §5.2): cease-fire breakdown as a proportional-hazard survival model,
// and the tripwire term in an attacker's expected utility. Hazards are per year; the engine
// asks for probabilities per quarter.
namespace arbiter::rules {

/// Breakdown probability within one quarter for a constant hazard (per year) scaled by a
/// hazard ratio (e.g. HR_PK in [0.15, 0.5] for peacekeepers): 1 - exp(-hazard * HR / 4).
[[nodiscard]] double quarterly_breakdown_constant(double hazard_per_year, double hazard_ratio) noexcept;

/// Breakdown probability in quarter `quarter_number` (1 = the first quarter of the
/// cease-fire) for a Weibull baseline with cumulative hazard H(t) = (lambda t)^kappa, t in
/// years, scaled by `hazard_ratio`: 1 - exp(-HR [H(n/4) - H((n-1)/4)]). kappa < 1 means peace
/// grows more stable with age. Quarters before the first give 0.
[[nodiscard]] double quarterly_breakdown_weibull(double lambda, double kappa, int quarter_number,
                                                 double hazard_ratio) noexcept;

/// Probability that a cease-fire survives `years` under a constant hazard: exp(-hazard HR t).
[[nodiscard]] double survival_constant(double hazard_per_year, double hazard_ratio, double years) noexcept;

/// Attacker's expected utility when a patron's tripwire force enters with probability
/// `entry_probability`: [(1-rho) p_alone + rho p_vs_coalition] stake - cost_attack - rho extra_cost.
/// Deterrence holds when this is below the attacker's status-quo utility.
[[nodiscard]] double tripwire_attack_utility(double p_alone, double p_vs_coalition, double stake,
                                             double cost_attack, double entry_probability,
                                             double extra_cost) noexcept;

}  // namespace arbiter::rules
