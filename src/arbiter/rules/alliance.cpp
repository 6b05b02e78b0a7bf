#include "arbiter/rules/alliance.hpp"

#include "arbiter/rules/contest.hpp"

namespace arbiter::rules {

double alliance_adjusted_win_probability(double own, double enemy, double ally, double intervention_probability,
                                         double decisiveness_m) noexcept {
  const double alone = tullock(own, enemy, decisiveness_m);
  const double together = tullock(own + ally, enemy, decisiveness_m);
  return (1.0 - intervention_probability) * alone + intervention_probability * together;
}

}  // namespace arbiter::rules
