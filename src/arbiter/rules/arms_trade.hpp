#pragma once

#include <span>
#include <vector>

// Arms-trade economics for a supplier that sells to both sides of a rivalry (models.md §8).
namespace arbiter::rules {

/// Nash equilibrium of a Tullock (m = 1) contest in which two recipients buy arms at unit
/// prices to win prizes they value at value1 and value2.
struct ContestDemand {
  double q1;       // arms bought by recipient 1
  double q2;       // arms bought by recipient 2
  double p1;       // recipient 1's equilibrium win probability
  double revenue;  // supplier's sales revenue price1 q1 + price2 q2 = (V1 + V2) p1 (1 - p1)
};

/// With v_i = V_i / P_i: q1 = v1^2 v2 / (v1+v2)^2, q2 = v1 v2^2 / (v1+v2)^2, p1 = v1/(v1+v2).
/// Prices must be positive; if neither side values the prize nobody buys and p1 = 1/2.
[[nodiscard]] ContestDemand contest_demand(double value1, double value2, double price1, double price2) noexcept;

/// Present value of 1 per period for `periods` periods at `rate` per period:
/// a(r, N) = (1 - (1+r)^-N) / r, and N at r = 0.
[[nodiscard]] double annuity_factor(double rate, int periods) noexcept;

/// Present value, at the recipient's market rate, of repaying a loan of 1 as an annuity at the
/// concessional rate: a(market, N) / a(concessional, N). Multiplies the effective arms price.
[[nodiscard]] double loan_present_value_ratio(double concessional_rate, double market_rate, int years) noexcept;

/// Grant element of a concessional loan: 1 - loan_present_value_ratio.
[[nodiscard]] double grant_element(double concessional_rate, double market_rate, int years) noexcept;

/// Per-period cash flows of a loan, one entry per period (grace, then repayment).
struct LoanSchedule {
  std::vector<double> payment;
  std::vector<double> interest;
  std::vector<double> principal_repaid;
  std::vector<double> outstanding;  // after the period's payment
};

/// Interest only during `grace_periods`, then a level annuity L r / (1 - (1+r)^-N) over
/// `repayment_periods` (L / N at r = 0). The last payment clears the balance exactly.
/// Needs repayment_periods >= 1 and grace_periods >= 0.
[[nodiscard]] LoanSchedule amortise(double principal, double rate_per_period, int grace_periods,
                                    int repayment_periods);

/// Multinomial-logit shares exp(lambda u_j) / sum_k exp(lambda u_k), e.g. of a recipient's
/// arms budget across suppliers. `shares_out` must have the size of `utilities`.
void logit_shares(std::span<const double> utilities, double lambda, std::span<double> shares_out);

/// Herfindahl-Hirschman concentration sum_j s_j^2 (supplier dependence, in (0, 1] for shares).
[[nodiscard]] double herfindahl(std::span<const double> shares) noexcept;

}  // namespace arbiter::rules
