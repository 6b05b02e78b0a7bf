#pragma once

// Mediation as cheap talk, a minimal two-type model in the spirit of Kydd (2003) (models.md
// §5.1; the model is a reconstruction, not Kydd's own game). Receiver A demands a share of a
// good worth 1 from B, whose resolve is either high (type H, low war cost) or low (type L).
// A mediator M sees a noisy signal of B's type and tells A "high" or "low".
namespace arbiter::rules {

struct KyddParams {
  double p;             // A's probability of winning a war
  double cost_a;        // A's war cost (share of the good)
  double cost_high;     // war cost of the resolved type H (c_H < c_L)
  double cost_low;      // war cost of the irresolute type L
  double prior_high;    // q = Pr(B is type H)
  double accuracy;      // r = Pr(M's signal equals B's true type), in [0.5, 1]
  double war_aversion;  // omega >= 0: M's extra loss when war breaks out
};

/// Pr(H | M says "low") = q(1-r) / (q(1-r) + (1-q) r).
[[nodiscard]] double kydd_posterior_after_low(const KyddParams& params) noexcept;
/// Pr(H | M says "high") = q r / (q r + (1-q)(1-r)).
[[nodiscard]] double kydd_posterior_after_high(const KyddParams& params) noexcept;

/// Whether A, believing Pr(H) = posterior, prefers the risky demand p + c_L (which type H
/// rejects) to the safe demand p + c_H: (1-q')(c_L - c_H) > q'(c_A + c_H).
[[nodiscard]] bool kydd_prefers_risky_demand(double posterior, const KyddParams& params) noexcept;

/// Delta(q'): M's gain from saying "low" (A then demands p + c_L) rather than "high" (A then
/// demands p + c_H), when M's belief is q' and M weighs A's payoff by `bias` (toward A, in
/// [0, 1]) and B's by 1 - bias:
/// (1-q')(2 bias - 1)(c_L - c_H) - q' [bias (c_A + c_H) + omega].
[[nodiscard]] double kydd_gain_from_low(double posterior, double bias, const KyddParams& params) noexcept;

/// Interval of biases toward A for which truthful reporting is an equilibrium,
/// Delta(q_low) >= 0 >= Delta(q_high). bias_high is +inf when its condition is slack; the
/// interval is empty when bias_low > bias_high (returned as +inf / -inf when impossible).
struct Credibility {
  double bias_low;
  double bias_high;
};
[[nodiscard]] Credibility kydd_credibility_bounds(const KyddParams& params) noexcept;

/// Delta(q_low) >= 0 >= Delta(q_high) at this bias.
[[nodiscard]] bool kydd_is_credible(double bias, const KyddParams& params) noexcept;

/// Probability of war: type H meets a risky demand. Without credible mediation A acts on the
/// prior (q if the risky demand is preferred there, else 0); with it, A acts on each message
/// (q(1-r) from "low" plus q r from "high", each counted only where A then demands riskily).
/// In the usual case (risky on the prior and after "low", safe after "high") this is q vs q(1-r).
[[nodiscard]] double kydd_war_probability(bool credible, const KyddParams& params) noexcept;

}  // namespace arbiter::rules
