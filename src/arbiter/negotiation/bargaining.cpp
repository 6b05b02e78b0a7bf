#include "arbiter/negotiation/bargaining.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::negotiation {

namespace {

// The weighted median over `positions` with a caller-owned index buffer (no allocation).
double weighted_median_with(std::span<const double> positions, std::span<const double> weights,
                            std::span<int> index) {
  const auto n = positions.size();
  std::iota(index.begin(), index.end(), 0);
  std::sort(index.begin(), index.end(), [&](int a, int b) { return positions[a] < positions[b]; });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  // A position wins every pairwise vote iff at most half the weight lies strictly on each side.
  // The slack only absorbs rounding of exact decimal ties.
  const double half = 0.5 * total * (1.0 + 1e-12);
  double below = 0.0;
  std::size_t k = 0;
  while (k < n) {
    const double here = positions[index[k]];
    double group = 0.0;
    std::size_t end = k;
    while (end < n && positions[index[end]] == here) {
      group += weights[index[end]];
      ++end;
    }
    if (below <= half && total - below - group <= half) return here;
    below += group;
    k = end;
  }
  return positions[index[n - 1]];  // unreachable with non-negative weights
}

// 2 - 4 * base^r, the utility scale of BDM; base lies in [0, 1].
double scaled_utility(double base, double r) { return 2.0 - 4.0 * (r == 1.0 ? base : std::pow(base, r)); }

}  // namespace

NegotiationOptions scholz_code_options() {
  return NegotiationOptions{.forecast = NegotiationOptions::Forecast::WeightedMedian,
                            .probability = NegotiationOptions::Probability::ScholzAllPairs,
                            .selection = NegotiationOptions::OfferSelection::TypePriority,
                            .voter_risk_in_probability = true,
                            .allow_capitulation = true,
                            .q = 1.0,
                            .t = 1.0,
                            .rounds = 8};
}

double weighted_median(std::span<const double> positions, std::span<const double> weights) {
  check_invariant(positions.size() == weights.size() && !positions.empty(), "weighted_median: sizes");
  std::vector<int> index(positions.size());
  return weighted_median_with(positions, weights, index);
}

double weighted_mean(std::span<const double> positions, std::span<const double> weights) {
  check_invariant(positions.size() == weights.size() && !positions.empty(), "weighted_mean: sizes");
  double sum = 0.0;
  double total = 0.0;
  for (std::size_t k = 0; k < positions.size(); ++k) {
    sum += weights[k] * positions[k];
    total += weights[k];
  }
  // All salience zero: nobody cares, so no actor pulls harder than another.
  if (total <= 0.0) return std::accumulate(positions.begin(), positions.end(), 0.0) / double(positions.size());
  return sum / total;
}

Bargaining::Bargaining(const ActorArrays& actors, const NegotiationOptions& options) : options_(options) {
  check_invariant(options.rounds >= 0, "negotiation: rounds must be >= 0");
  check_invariant(options.q >= 0.0 && options.q <= 1.0 && options.t >= 0.0 && options.t <= 1.0,
                  "negotiation: q and t must lie in [0, 1]");
  check_invariant(options.convergence_tolerance >= 0.0 && options.issue_range >= 0.0,
                  "negotiation: tolerance and issue range must be >= 0");
  reset(actors);
}

void Bargaining::check_inputs(const ActorArrays& actors) const {
  const auto n = actors.capability.size();
  check_invariant(n > 0, "negotiation: no actors");
  check_invariant(actors.position.size() == n && actors.salience.size() == n, "negotiation: array sizes differ");
  check_invariant(actors.fixed_risk_exponent.empty() || actors.fixed_risk_exponent.size() == n,
                  "negotiation: fixed_risk_exponent must be empty or one per actor");
  for (std::size_t k = 0; k < n; ++k) {
    check_invariant(std::isfinite(actors.capability[k]) && actors.capability[k] > 0.0,
                    "negotiation: capability must be finite and > 0");
    check_invariant(std::isfinite(actors.position[k]), "negotiation: position must be finite");
    check_invariant(actors.salience[k] >= 0.0 && actors.salience[k] <= 1.0, "negotiation: salience outside [0, 1]");
  }
}

void Bargaining::reset(const ActorArrays& actors) {
  check_inputs(actors);
  const auto n = actors.capability.size();
  if (static_cast<int>(n) != n_) {
    n_ = static_cast<int>(n);
    for (auto* v : {&x_, &c_, &s_, &w_, &fixed_r_, &r_, &ones_, &x_next_, &danger_}) v->resize(n);
    vote_distance_.resize(n * n);
    log_near_.resize(n * n);
    log_far_.resize(n * n);
    prob_.resize(n * n);
    index_scratch_.resize(n);
  }
  std::copy(actors.position.begin(), actors.position.end(), x_.begin());
  std::copy(actors.capability.begin(), actors.capability.end(), c_.begin());
  std::copy(actors.salience.begin(), actors.salience.end(), s_.begin());
  std::fill(ones_.begin(), ones_.end(), 1.0);
  for (std::size_t k = 0; k < n; ++k) {
    w_[k] = c_[k] * s_[k];
    fixed_r_[k] = actors.fixed_risk_exponent.empty() ? std::numeric_limits<double>::quiet_NaN()
                                                     : actors.fixed_risk_exponent[k];
    check_invariant(std::isnan(fixed_r_[k]) || (std::isfinite(fixed_r_[k]) && fixed_r_[k] > 0.0),
                    "negotiation: a fixed risk exponent must be finite and > 0");
  }
  range_ = options_.issue_range;
  if (range_ <= 0.0) {
    const auto [lo, hi] = std::minmax_element(x_.begin(), x_.end());
    range_ = *hi - *lo;
  }
  // All actors at one point: no distance is ever non-zero, any positive scale will do.
  if (!(range_ > 0.0)) range_ = 1.0;
}

double Bargaining::forecast() const {
  if (options_.forecast == NegotiationOptions::Forecast::WeightedMean) return weighted_mean(x_, w_);
  return weighted_median_with(x_, w_, index_scratch_);
}

void Bargaining::compute_probabilities(std::span<const double> voter_risk) {
  const int n = n_;
  const bool use_risk = options_.voter_risk_in_probability;
  const double inverse_range = 1.0 / range_;
  for (int k = 0; k < n; ++k) {
    for (int a = 0; a < n; ++a) {
      const double d = std::abs(x_[k] - x_[a]) * inverse_range;
      vote_distance_[k * n + a] = (use_risk && voter_risk[k] != 1.0) ? std::pow(d, voter_risk[k]) : d;
    }
  }
  double all_pairs = 0.0;  // Scholz's denominator: every voter's |vote| over every ordered pair
  if (options_.probability == NegotiationOptions::Probability::ScholzAllPairs) {
    for (int k = 0; k < n; ++k) {
      const double* dk = &vote_distance_[k * n];
      double sum = 0.0;
      for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) sum += std::abs(dk[b] - dk[a]);
      all_pairs += w_[k] * sum;
    }
  }
  for (int i = 0; i < n; ++i) {
    prob_[i * n + i] = 0.0;
    for (int j = i + 1; j < n; ++j) {
      if (x_[i] == x_[j]) {  // no contest between equal positions
        prob_[i * n + j] = prob_[j * n + i] = 0.0;
        continue;
      }
      // v_k(i, j) = w_k (dist_k(j) - dist_k(i)); v_k(j, i) is its negative.
      double for_i = 0.0;
      double for_j = 0.0;
      for (int k = 0; k < n; ++k) {
        const double v = w_[k] * (vote_distance_[k * n + j] - vote_distance_[k * n + i]);
        for_i += std::max(v, 0.0);
        for_j += std::max(-v, 0.0);
      }
      double p_ij = 0.5;
      double p_ji = 0.5;  // nobody prefers either: an even contest
      switch (options_.probability) {
        case NegotiationOptions::Probability::PairwiseVotes:
          if (for_i + for_j > 0.0) { p_ij = for_i / (for_i + for_j); p_ji = for_j / (for_i + for_j); }
          break;
        case NegotiationOptions::Probability::NetVotes:
          if (for_i + for_j > 0.0) {
            p_ij = std::max(0.0, for_i - for_j) / (for_i + for_j);
            p_ji = std::max(0.0, for_j - for_i) / (for_i + for_j);
          }
          break;
        case NegotiationOptions::Probability::ScholzAllPairs:
          if (all_pairs > 0.0) { p_ij = for_i / all_pairs; p_ji = for_j / all_pairs; }
          break;
      }
      prob_[i * n + j] = p_ij;
      prob_[j * n + i] = p_ji;
    }
  }
}

double Bargaining::probability(int i, int j, std::span<const double> voter_risk) {
  compute_probabilities(voter_risk);
  return prob_[i * n_ + j];
}

double Bargaining::expected_utility(int i, int j, double r, double win_probability, double mu) const {
  const double d = std::abs(x_[i] - x_[j]) / range_;
  return combine_utilities(i, j, scaled_utility(0.5 - 0.5 * d, r), scaled_utility(0.5 + 0.5 * d, r),
                           options_.q * scaled_utility(0.5, r), r, win_probability, mu);
}

double Bargaining::combine_utilities(int i, int j, double success, double failure, double status_quo, double r,
                                     double win_probability, double mu) const {
  // The target resists with probability s_j; if it does not, i simply gets its way.
  double eu = s_[j] * (win_probability * success + (1.0 - win_probability) * failure) + (1.0 - s_[j]) * success -
              status_quo;
  if (options_.q < 1.0) {
    const double spread = 0.25 * (std::abs(x_[i] - mu) + std::abs(x_[i] - x_[j])) / range_;
    eu -= (1.0 - options_.q) *
          (options_.t * scaled_utility(0.5 - spread, r) + (1.0 - options_.t) * scaled_utility(0.5 + spread, r));
  }
  return eu;
}

void Bargaining::compute_dangers_and_risk(double mu) {
  const int n = n_;
  compute_probabilities(ones_);
  const double inverse_range = 1.0 / range_;
  for (int target = 0; target < n; ++target) {
    double danger = 0.0;
    if (options_.q < 1.0) {
      for (int k = 0; k < n; ++k)
        if (k != target) danger += expected_utility(k, target, 1.0, prob_[k * n + target], mu);
    } else {
      // With r = 1 and Q = 1: U_s = 2d, U_f = -2d, U_sq = 0, so EU = 2d (1 - s + s (2P - 1)).
      const double resist = s_[target];
      for (int k = 0; k < n; ++k) {
        if (k == target) continue;
        const double d = std::abs(x_[k] - x_[target]) * inverse_range;
        danger += 2.0 * d * (1.0 - resist + resist * (2.0 * prob_[k * n + target] - 1.0));
      }
    }
    danger_[target] = danger;
  }
  const auto [lo, hi] = std::minmax_element(danger_.begin(), danger_.end());
  const double d_min = *lo;
  const double d_max = *hi;
  for (int k = 0; k < n; ++k) {
    // Equal danger everywhere: nobody is more exposed, so everybody stays risk neutral.
    const double relative = d_max > d_min ? (2.0 * danger_[k] - d_max - d_min) / (d_max - d_min) : 0.0;
    r_[k] = std::isnan(fixed_r_[k]) ? (1.0 - relative / 3.0) / (1.0 + relative / 3.0) : fixed_r_[k];
  }
}

std::vector<double> Bargaining::dangers() {
  compute_dangers_and_risk(forecast());
  return danger_;
}

std::vector<double> Bargaining::risk_exponents() {
  compute_dangers_and_risk(forecast());
  return r_;
}

void Bargaining::run_round(RoundTrace* trace) {
  using Kind = RoundTrace::PairOutcome::Kind;
  using Selection = NegotiationOptions::OfferSelection;
  const int n = n_;
  const double mu = forecast();
  compute_dangers_and_risk(mu);
  if (options_.voter_risk_in_probability) compute_probabilities(r_);
  if (trace != nullptr) {
    trace->forecast_at_start = mu;
    trace->risk_exponents.assign(r_.begin(), r_.end());
    trace->outcomes.clear();
  }

  // log(0.5 -+ 0.5 d_ij) once per pair and round: each receiver then needs two exp() per
  // sender instead of six pow() calls (the model's hot spot).
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      const double d = std::abs(x_[i] - x_[j]) / range_;
      log_near_[i * n + j] = log_near_[j * n + i] = std::log(0.5 - 0.5 * d);
      log_far_[i * n + j] = log_far_[j * n + i] = std::log(0.5 + 0.5 * d);
    }

  for (int i = 0; i < n; ++i) {  // i receives offers and may move
    x_next_[i] = x_[i];
    const double r = r_[i];
    const double status_quo = options_.q * scaled_utility(0.5, r);
    int best = -1;
    int best_rank = 0;       // for TypePriority: 0 confrontation, 1 compromise, 2 capitulation
    double best_key = 0.0;   // smaller is better
    double best_move = 0.0;
    std::size_t best_trace = 0;
    for (int j = 0; j < n; ++j) {
      if (j == i || x_[j] == x_[i]) continue;
      // Both sides' utilities are seen through i's risk exponent, so they share U_s and U_f.
      const double success = 2.0 - 4.0 * std::exp(r * log_near_[i * n + j]);
      const double failure = 2.0 - 4.0 * std::exp(r * log_far_[i * n + j]);
      double a = 0.0;
      double b = 0.0;
      if (options_.q < 1.0) {
        a = combine_utilities(i, j, success, failure, status_quo, r, prob_[i * n + j], mu);
        b = combine_utilities(j, i, success, failure, status_quo, r, prob_[j * n + i], mu);
      } else {  // the same formula without the forecast-dependent terms, kept inline
        a = s_[j] * (prob_[i * n + j] * (success - failure) + failure) + (1.0 - s_[j]) * success - status_quo;
        b = s_[i] * (prob_[j * n + i] * (success - failure) + failure) + (1.0 - s_[i]) * success - status_quo;
      }
      if (!(b > 0.0)) continue;  // j has nothing to gain, so makes no offer
      const double gap = x_[j] - x_[i];
      Kind kind = Kind::None;
      double move = 0.0;
      if (a > 0.0 && b > a) {
        kind = Kind::Confrontation;  // i expects to lose the fight
        move = gap;
      } else if (a < 0.0) {
        const double fraction = -a / b;
        if (fraction < 1.0) {
          kind = Kind::Compromise;
          move = gap * fraction;
        } else if (options_.allow_capitulation) {
          kind = Kind::Capitulation;
          move = gap;
        }
      }
      if (kind == Kind::None) continue;
      if (trace != nullptr) trace->outcomes.push_back({j, i, kind, move, a, b, false});

      int rank = 0;
      double key = std::abs(move);
      switch (options_.selection) {
        case Selection::SmallestMove:
          break;
        case Selection::LargestSenderUtility:
          key = -b;
          break;
        case Selection::TypePriority:
          rank = kind == Kind::Confrontation ? 0 : kind == Kind::Compromise ? 1 : 2;
          // Scholz's code ranks compromises by a utility-weighted point between the two
          // positions, taking the lowest; reproduced as found (it favours lower positions).
          if (kind == Kind::Compromise) key = (-a * x_[i] + b * x_[j]) / (-a + b);
          break;
      }
      const bool better = best < 0 || rank < best_rank || (rank == best_rank && key < best_key) ||
                          (rank == best_rank && key == best_key && std::abs(move) < std::abs(best_move));
      if (better) {
        best = j;
        best_rank = rank;
        best_key = key;
        best_move = move;
        if (trace != nullptr) best_trace = trace->outcomes.size() - 1;
      }
    }
    if (best >= 0) {
      x_next_[i] = x_[i] + best_move;
      if (trace != nullptr) trace->outcomes[best_trace].accepted = true;
    }
  }
  std::swap(x_, x_next_);  // all moves at once
  if (trace != nullptr) {
    trace->positions.assign(x_.begin(), x_.end());
    trace->median = weighted_median_with(x_, w_, index_scratch_);
    trace->mean = weighted_mean(x_, w_);
  }
}

NegotiationResult negotiate(const ActorArrays& actors, const NegotiationOptions& options) {
  Bargaining model(actors, options);
  NegotiationResult result;
  result.weighted_mean_baseline = weighted_mean(model.positions(), model.weights());
  result.weighted_median_baseline = weighted_median(model.positions(), model.weights());
  result.final_forecast = model.forecast();
  result.rounds.reserve(static_cast<std::size_t>(options.rounds));
  for (int round = 0; round < options.rounds; ++round) {
    const double before = result.final_forecast;
    model.run_round(&result.rounds.emplace_back());
    result.final_forecast = options.forecast == NegotiationOptions::Forecast::WeightedMedian ? result.rounds.back().median
                                                                                             : result.rounds.back().mean;
    if (options.convergence_tolerance > 0.0 &&
        std::abs(result.final_forecast - before) < options.convergence_tolerance * model.issue_range()) {
      result.converged = true;
      break;
    }
  }
  return result;
}

NegotiationResult negotiate(std::span<const NegotiationActor> actors, const NegotiationOptions& options) {
  std::vector<double> capability, position, salience, risk;
  for (const auto& actor : actors) {
    capability.push_back(actor.capability);
    position.push_back(actor.position);
    salience.push_back(actor.salience);
    risk.push_back(actor.risk_exponent.value_or(std::numeric_limits<double>::quiet_NaN()));
  }
  return negotiate(ActorArrays{capability, position, salience, risk}, options);
}

}  // namespace arbiter::negotiation
