#include "arbiter/negotiation/bargaining.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::negotiation {

namespace {

// Actors by position, ties by index: a total order, so the sorted sequence is unique
// whatever algorithm produces it (std::sort on the first call, insertion sort afterwards).
struct ByPosition {
  std::span<const double> positions;
  bool operator()(int a, int b) const {
    return positions[a] < positions[b] || (positions[a] == positions[b] && a < b);
  }
};

// The weighted median of positions given the index sorted by ByPosition.
double median_of_sorted(std::span<const double> positions, std::span<const double> weights,
                        std::span<const int> index) {
  const auto n = positions.size();
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
  std::iota(index.begin(), index.end(), 0);
  std::sort(index.begin(), index.end(), ByPosition{positions});
  return median_of_sorted(positions, weights, index);
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
    for (auto* v : {&site_x_, &success_, &failure_, &term_a_, &term_b_}) v->resize(n);
    vote_distance_.resize(n * n);
    log_near_.resize(n * n);
    log_far_.resize(n * n);
    prob_.resize(n * n);
    site_of_.resize(n);
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0);
  }
  sites_current_ = false;  // order_ stays a permutation: the next sort starts from it
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
  return median();
}

double Bargaining::median() const {
  update_sites();
  return median_of_sorted(x_, w_, order_);
}

void Bargaining::update_sites() const {
  if (sites_current_) return;
  // Insertion sort from the last order: after a round most actors keep their rank.
  const ByPosition before{x_};
  for (int k = 1; k < n_; ++k) {
    const int actor = order_[k];
    int slot = k;
    for (; slot > 0 && before(actor, order_[slot - 1]); --slot) order_[slot] = order_[slot - 1];
    order_[slot] = actor;
  }
  int sites = 0;
  for (int k = 0; k < n_; ++k) {
    const int actor = order_[k];
    if (sites == 0 || x_[actor] != site_x_[sites - 1]) site_x_[sites++] = x_[actor];
    site_of_[actor] = sites - 1;
  }
  sites_ = sites;
  sites_current_ = true;
}

void Bargaining::compute_probabilities(std::span<const double> voter_risk) {
  update_sites();
  const int n = n_;
  const int m = sites_;
  const bool use_risk = options_.voter_risk_in_probability;
  const double inverse_range = 1.0 / range_;
  for (int k = 0; k < n; ++k) {
    const bool raise = use_risk && voter_risk[k] != 1.0;
    for (int g = 0; g < m; ++g) {
      const double d = std::abs(x_[k] - site_x_[g]) * inverse_range;
      vote_distance_[g * n + k] = raise ? std::pow(d, voter_risk[k]) : d;
    }
  }
  double all_pairs = 0.0;  // Scholz's denominator: every voter's |vote| over every ordered pair
  if (options_.probability == NegotiationOptions::Probability::ScholzAllPairs) {
    for (int k = 0; k < n; ++k) {
      double sum = 0.0;
      for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b)
          sum += std::abs(vote_distance_[site_of_[b] * n + k] - vote_distance_[site_of_[a] * n + k]);
      all_pairs += w_[k] * sum;
    }
  }
  // Per pair of sites g < h. An actor pair (i, j) with i < j sits at (g, h) or (h, g); its
  // votes then have the same magnitudes with the roles swapped, so both orders give the
  // same sums and probabilities, bit for bit. v_k(g, h) = w_k (dist_k(h) - dist_k(g)) is a
  // vote for g when positive; v_k(h, g) is its negative.
  const double* w = w_.data();
  for (int g = 0; g < m; ++g) {
    prob_[g * m + g] = 0.0;  // no contest between equal positions
    const double* dg = &vote_distance_[g * n];
    // Two pairs (g, h) and (g, h + 1) at a time: four independent sums, each still taken in
    // voter order, so the additions overlap instead of waiting on each other.
    int h = g + 1;
    for (; h + 1 < m; h += 2) {
      const double* d1 = &vote_distance_[h * n];
      const double* d2 = &vote_distance_[(h + 1) * n];
      double for_g1 = 0.0;
      double for_h1 = 0.0;
      double for_g2 = 0.0;
      double for_h2 = 0.0;
      for (int k = 0; k < n; ++k) {
        const double v1 = w[k] * (d1[k] - dg[k]);
        const double v2 = w[k] * (d2[k] - dg[k]);
        for_g1 += std::max(v1, 0.0);
        for_h1 += std::max(-v1, 0.0);
        for_g2 += std::max(v2, 0.0);
        for_h2 += std::max(-v2, 0.0);
      }
      set_probabilities(g, h, for_g1, for_h1, all_pairs);
      set_probabilities(g, h + 1, for_g2, for_h2, all_pairs);
    }
    for (; h < m; ++h) {
      const double* d1 = &vote_distance_[h * n];
      double for_g1 = 0.0;
      double for_h1 = 0.0;
      for (int k = 0; k < n; ++k) {
        const double v1 = w[k] * (d1[k] - dg[k]);
        for_g1 += std::max(v1, 0.0);
        for_h1 += std::max(-v1, 0.0);
      }
      set_probabilities(g, h, for_g1, for_h1, all_pairs);
    }
  }
}

void Bargaining::set_probabilities(int g, int h, double for_g, double for_h, double all_pairs) {
  double p_gh = 0.5;
  double p_hg = 0.5;  // nobody prefers either: an even contest
  switch (options_.probability) {
    case NegotiationOptions::Probability::PairwiseVotes:
      if (for_g + for_h > 0.0) { p_gh = for_g / (for_g + for_h); p_hg = for_h / (for_g + for_h); }
      break;
    case NegotiationOptions::Probability::NetVotes:
      if (for_g + for_h > 0.0) {
        p_gh = std::max(0.0, for_g - for_h) / (for_g + for_h);
        p_hg = std::max(0.0, for_h - for_g) / (for_g + for_h);
      }
      break;
    case NegotiationOptions::Probability::ScholzAllPairs:
      if (all_pairs > 0.0) { p_gh = for_g / all_pairs; p_hg = for_h / all_pairs; }
      break;
  }
  prob_[g * sites_ + h] = p_gh;
  prob_[h * sites_ + g] = p_hg;
}

double Bargaining::probability(int i, int j, std::span<const double> voter_risk) {
  compute_probabilities(voter_risk);
  return prob_[site_of_[i] * sites_ + site_of_[j]];
}

double Bargaining::expected_utility(int i, int j, double r, double win_probability, double mu) const {
  const double d = std::abs(x_[i] - x_[j]) / range_;
  return combine_utilities(i, j, scaled_utility(0.5 - 0.5 * d, r), scaled_utility(0.5 + 0.5 * d, r),
                           options_.q * scaled_utility(0.5, r), r, win_probability, mu);
}

double Bargaining::forecast_term(double x_from, double x_to, double r, double mu) const {
  const double spread = 0.25 * (std::abs(x_from - mu) + std::abs(x_from - x_to)) / range_;
  return (1.0 - options_.q) *
         (options_.t * scaled_utility(0.5 - spread, r) + (1.0 - options_.t) * scaled_utility(0.5 + spread, r));
}

double Bargaining::combine_utilities(int i, int j, double success, double failure, double status_quo, double r,
                                     double win_probability, double mu) const {
  // The target resists with probability s_j; if it does not, i simply gets its way.
  double eu = s_[j] * (win_probability * success + (1.0 - win_probability) * failure) + (1.0 - s_[j]) * success -
              status_quo;
  if (options_.q < 1.0) eu -= forecast_term(x_[i], x_[j], r, mu);
  return eu;
}

void Bargaining::compute_dangers_and_risk(double mu) {
  const int n = n_;
  compute_probabilities(ones_);
  const int m = sites_;
  const double inverse_range = 1.0 / range_;
  for (int target = 0; target < n; ++target) {
    const int site = site_of_[target];
    double danger = 0.0;
    if (options_.q < 1.0) {
      for (int k = 0; k < n; ++k)
        if (k != target) danger += expected_utility(k, target, 1.0, prob_[site_of_[k] * m + site], mu);
    } else {
      // With r = 1 and Q = 1: U_s = 2d, U_f = -2d, U_sq = 0, so EU = 2d (1 - s + s (2P - 1)).
      // Challengers at the target's own position (d = 0) add exactly zero: skipped.
      const double resist = s_[target];
      for (int k = 0; k < n; ++k) {
        if (site_of_[k] == site) continue;
        const double d = std::abs(x_[k] - x_[target]) * inverse_range;
        danger += 2.0 * d * (1.0 - resist + resist * (2.0 * prob_[site_of_[k] * m + site] - 1.0));
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

  // log(0.5 -+ 0.5 d) once per pair of sites and round: each receiver then needs two exp()
  // per other site instead of six pow() per sender (the model's hot spot).
  const int m = sites_;
  for (int g = 0; g < m; ++g)
    for (int h = g + 1; h < m; ++h) {
      const double d = std::abs(site_x_[g] - site_x_[h]) / range_;
      log_near_[g * m + h] = log_near_[h * m + g] = std::log(0.5 - 0.5 * d);
      log_far_[g * m + h] = log_far_[h * m + g] = std::log(0.5 + 0.5 * d);
    }

  // Plain pointers: the trace's push_back would otherwise make the compiler reload every
  // vector's data pointer in the sender loop.
  const double* x = x_.data();
  const double* s = s_.data();
  const double* prob = prob_.data();
  const int* site_of = site_of_.data();
  double* success_at = success_.data();
  double* failure_at = failure_.data();
  double* term_a = term_a_.data();
  double* term_b = term_b_.data();
  const bool forecast_terms = options_.q < 1.0;
  for (int i = 0; i < n; ++i) {  // i receives offers and may move
    x_next_[i] = x[i];
    const double r = r_[i];
    const double status_quo = options_.q * scaled_utility(0.5, r);
    const int own = site_of[i];
    // Both sides' utilities are seen through i's risk exponent, so they share U_s and U_f,
    // which depend on the sender only through its site.
    for (int h = 0; h < m; ++h) {
      if (h == own) continue;
      success_at[h] = 2.0 - 4.0 * std::exp(r * log_near_[own * m + h]);
      failure_at[h] = 2.0 - 4.0 * std::exp(r * log_far_[own * m + h]);
      if (forecast_terms) {
        term_a[h] = forecast_term(x[i], site_x_[h], r, mu);
        term_b[h] = forecast_term(site_x_[h], x[i], r, mu);
      }
    }
    int best = -1;
    int best_rank = 0;       // for TypePriority: 0 confrontation, 1 compromise, 2 capitulation
    double best_key = 0.0;   // smaller is better
    double best_move = 0.0;
    std::size_t best_trace = 0;
    for (int j = 0; j < n; ++j) {
      const int site = site_of[j];
      if (site == own) continue;  // j == i or an equal position: no contest
      const double success = success_at[site];
      const double failure = failure_at[site];
      const double p_ij = prob[own * m + site];
      const double p_ji = prob[site * m + own];
      double a = 0.0;
      double b = 0.0;
      if (forecast_terms) {  // combine_utilities with the per-site forecast terms
        a = s[j] * (p_ij * success + (1.0 - p_ij) * failure) + (1.0 - s[j]) * success - status_quo;
        a -= term_a[site];
        b = s[i] * (p_ji * success + (1.0 - p_ji) * failure) + (1.0 - s[i]) * success - status_quo;
        b -= term_b[site];
      } else {  // the same formula without the forecast-dependent terms, kept inline
        a = s[j] * (p_ij * (success - failure) + failure) + (1.0 - s[j]) * success - status_quo;
        b = s[i] * (p_ji * (success - failure) + failure) + (1.0 - s[i]) * success - status_quo;
      }
      if (!(b > 0.0)) continue;  // j has nothing to gain, so makes no offer
      const double gap = x[j] - x[i];
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
          if (kind == Kind::Compromise) key = (-a * x[i] + b * x[j]) / (-a + b);
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
      x_next_[i] = x[i] + best_move;
      if (trace != nullptr) trace->outcomes[best_trace].accepted = true;
    }
  }
  std::swap(x_, x_next_);  // all moves at once
  sites_current_ = false;
  if (trace != nullptr) {
    trace->positions.assign(x_.begin(), x_.end());
    trace->median = median();
    trace->mean = weighted_mean(x_, w_);
  }
}

NegotiationResult negotiate(const ActorArrays& actors, const NegotiationOptions& options) {
  Bargaining model(actors, options);
  NegotiationResult result;
  result.weighted_mean_baseline = weighted_mean(model.positions(), model.weights());
  result.weighted_median_baseline = model.median();
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
