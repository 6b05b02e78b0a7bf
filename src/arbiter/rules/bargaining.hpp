#pragma once

#include <span>

// Bargaining theory of war (models.md §4): Fearon's (1995) bargaining range and risk-return
// trade-off, and Powell's (2006) commitment problem under shifting power. Stakes and war
// costs are shares of a good worth 1; p and pi are win probabilities of the first-named side.
namespace arbiter::rules {

/// The open interval of splits x (A's share, within [0, 1]) that both sides prefer to war.
struct BargainingRange {
  double low;
  double high;
  [[nodiscard]] bool empty() const noexcept { return !(low < high); }
};

/// (p - c_A, p + c_B) intersected with [0, 1]; A wins a war with probability p (F1).
[[nodiscard]] BargainingRange fearon_range(double p, double cost_a, double cost_b) noexcept;

struct RiskReturnOffer {
  double offer;             // A's optimal take-it-or-leave-it demand x*
  double war_probability;   // chance that B's private cost is low enough for B to reject
  double proposer_utility;  // A's expected utility at x*
};

/// A's optimal demand when B's war cost is private and uniform on [0, cost_b_max] (F2):
/// x* = p + (cost_b_max - c_A)/2 when c_A < cost_b_max, else p (no risk of war). x* is capped
/// at 1, the whole good.
[[nodiscard]] RiskReturnOffer fearon_uniform_offer(double p, double cost_a, double cost_b_max) noexcept;

/// One-step commitment-problem test for declining state D and rising state S (P1-P3).
/// lhs = delta (pi_now - pi_next), the discounted loss of D's bargaining power;
/// rhs_robust = (1-delta)(1-pi_now) + c_D + delta c_S: war in every equilibrium iff lhs > rhs;
/// rhs_rising = (1-delta)(1-pi_now) + (1-delta) c_D: war when S makes all offers iff lhs > rhs.
struct PowellFlags {
  double lhs;
  double rhs_robust;
  double rhs_rising;
  bool war_robust;
  bool war_rising;
};

/// `delta` is the discount factor per step of the pi path (per year in P1-P3).
[[nodiscard]] PowellFlags powell_one_step(double delta, double pi_now, double pi_next, double cost_d,
                                          double cost_s) noexcept;

/// Multi-period commitment gap G = (pi_0 - c_D) - min_{K=1..H} [(1 - d^K) + d^K (pi_K + c_S)]
/// and the K that attains the minimum (the "window of opportunity", in steps). G > 0 means war
/// is unavoidable in every equilibrium (P4).
struct CommitmentGap {
  double gap;
  int window_quarters;
};

/// `pi_path` holds pi_0 (now) .. pi_H, one entry per step (quarter) of `delta_per_step`.
/// With no projected step (H = 0) nothing bounds D's peace value: gap = -inf, window 0.
[[nodiscard]] CommitmentGap commitment_gap(std::span<const double> pi_path, double cost_d, double cost_s,
                                           double delta_per_step) noexcept;

/// Quarterly discount factor delta^(1/4) from an annual one.
[[nodiscard]] double quarterly_discount(double delta_per_year) noexcept;

/// Onset hazard from a commitment gap: h_max * sigma(gap / tau). tau > 0 smooths the knife
/// edge at gap = 0 (tau <= 0 gives the step function, h_max/2 exactly at 0).
[[nodiscard]] double logistic_hazard(double gap, double h_max, double tau) noexcept;

}  // namespace arbiter::rules
