#pragma once

// Alliance obligations and reliability (models.md §6): whether a treaty is triggered by an
// attack, how likely the ally is to fight, and the win probability that results.
namespace arbiter::rules {

/// A treaty binds only when its own conditions hold: the target is a member, the attack is
/// within the treaty's territorial scope, and the attacker is a named adversary (or the treaty
/// names none).
[[nodiscard]] constexpr bool casus_foederis(bool target_is_member, bool location_in_scope,
                                            bool attacker_named_or_any) noexcept {
  return target_is_member && location_in_scope && attacker_named_or_any;
}

/// Probability that the ally fights: its treaty reliability when the casus foederis holds,
/// otherwise its (much smaller) discretionary reliability.
[[nodiscard]] constexpr double intervention_probability(bool in_scope, double reliability,
                                                        double discretionary_reliability) noexcept {
  return in_scope ? reliability : discretionary_reliability;
}

/// Expected Tullock win probability of `own` against `enemy` when an ally of capability
/// `ally` joins with probability `intervention_probability`:
/// (1-rho) CSF(own, enemy) + rho CSF(own + ally, enemy).
[[nodiscard]] double alliance_adjusted_win_probability(double own, double enemy, double ally,
                                                       double intervention_probability,
                                                       double decisiveness_m) noexcept;

}  // namespace arbiter::rules
