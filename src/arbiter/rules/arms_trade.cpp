#include "arbiter/rules/arms_trade.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::rules {

ContestDemand contest_demand(double value1, double value2, double price1, double price2) noexcept {
  const double v1 = value1 / price1;
  const double v2 = value2 / price2;
  const double total = v1 + v2;
  if (!(total > 0.0)) return {0.0, 0.0, 0.5, 0.0};
  const double p1 = v1 / total;
  const double p2 = v2 / total;
  // q_i = v_i p_i p_j: the equilibrium outlay of each side is its valuation times p1 p2.
  const double q1 = v1 * p1 * p2;
  const double q2 = v2 * p1 * p2;
  return {q1, q2, p1, price1 * q1 + price2 * q2};
}

double annuity_factor(double rate, int periods) noexcept {
  if (rate == 0.0) return static_cast<double>(periods);
  // expm1/log1p keep the factor accurate for tiny rates, where 1 - (1+r)^-N cancels.
  return -std::expm1(-periods * std::log1p(rate)) / rate;
}

double loan_present_value_ratio(double concessional_rate, double market_rate, int years) noexcept {
  return annuity_factor(market_rate, years) / annuity_factor(concessional_rate, years);
}

double grant_element(double concessional_rate, double market_rate, int years) noexcept {
  return 1.0 - loan_present_value_ratio(concessional_rate, market_rate, years);
}

LoanSchedule amortise(double principal, double rate_per_period, int grace_periods, int repayment_periods) {
  check_invariant(repayment_periods >= 1, "amortise needs at least one repayment period");
  check_invariant(grace_periods >= 0, "amortise needs a non-negative grace period");
  const auto periods = static_cast<std::size_t>(grace_periods + repayment_periods);
  LoanSchedule s;
  s.payment.reserve(periods);
  s.interest.reserve(periods);
  s.principal_repaid.reserve(periods);
  s.outstanding.reserve(periods);
  double balance = principal;
  for (int i = 0; i < grace_periods; ++i) {
    const double interest = balance * rate_per_period;
    s.payment.push_back(interest);
    s.interest.push_back(interest);
    s.principal_repaid.push_back(0.0);
    s.outstanding.push_back(balance);
  }
  const double level_payment = principal / annuity_factor(rate_per_period, repayment_periods);
  for (int i = 0; i < repayment_periods; ++i) {
    const double interest = balance * rate_per_period;
    const bool last = i + 1 == repayment_periods;
    // The last period repays whatever is left, so rounding never leaves a residual balance.
    const double repaid = last ? balance : level_payment - interest;
    balance = last ? 0.0 : balance - repaid;
    s.payment.push_back(interest + repaid);
    s.interest.push_back(interest);
    s.principal_repaid.push_back(repaid);
    s.outstanding.push_back(balance);
  }
  return s;
}

void logit_shares(std::span<const double> utilities, double lambda, std::span<double> shares_out) {
  check_invariant(shares_out.size() == utilities.size(), "logit_shares needs one output per utility");
  if (utilities.empty()) return;
  // Subtracting the largest scaled utility keeps every exp in (0, 1]: no overflow.
  double largest = -std::numeric_limits<double>::infinity();
  for (const double u : utilities) largest = std::max(largest, lambda * u);
  double total = 0.0;
  for (std::size_t j = 0; j < utilities.size(); ++j) {
    shares_out[j] = std::exp(lambda * utilities[j] - largest);
    total += shares_out[j];
  }
  for (double& share : shares_out) share /= total;
}

double herfindahl(std::span<const double> shares) noexcept {
  double sum = 0.0;
  for (const double s : shares) sum += s * s;
  return sum;
}

}  // namespace arbiter::rules
