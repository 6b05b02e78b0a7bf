#pragma once

#include <cstddef>
#include <span>

#include "arbiter/rules/contest.hpp"

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
[[nodiscard]] inline double alliance_adjusted_win_probability(double own, double enemy, double ally,
                                                              double intervention_probability,
                                                              double decisiveness_m) noexcept {
  const double alone = tullock(own, enemy, decisiveness_m);
  const double together = tullock(own + ally, enemy, decisiveness_m);
  return (1.0 - intervention_probability) * alone + intervention_probability * together;
}

/// An outside power that may join one side of a war, independently of the others.
struct AllyContribution {
  double capability;                // added to its side's capability if it joins
  double intervention_probability;  // from intervention_probability()
  bool joins_own_side;              // true: fights for `own`; false: for `enemy`
};

/// Most allies handled by exact enumeration (2^n joining subsets).
inline constexpr std::size_t max_enumerated_allies = 16;

/// Expected Tullock win probability of `own` over every subset of independently joining allies:
/// sum_S Pr(S) CSF(own + own-side allies in S, enemy + enemy-side allies in S). Exact for up to
/// max_enumerated_allies allies; the engine should sample when there are more (extra allies
/// beyond the limit are ignored).
[[nodiscard]] double alliance_adjusted_win_probability(double own, double enemy,
                                                       std::span<const AllyContribution> allies,
                                                       double decisiveness_m) noexcept;

}  // namespace arbiter::rules
