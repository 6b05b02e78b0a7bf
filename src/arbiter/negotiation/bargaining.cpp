#include "arbiter/negotiation/bargaining.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Spare entries after each voter's row of site distances, so that four sites can always be
// loaded at once.
constexpr std::size_t vote_padding = 3;
std::size_t vote_stride(int n) { return static_cast<std::size_t>(n) + vote_padding; }

// The votes over every pair of sites g < h: votes[g * m + h] = sum over voters k, in voter
// order, of max(w_k (dist_k(h) - dist_k(g)), 0), the weight for g; votes[h * m + g] the same
// sum of max(-w_k (dist_k(h) - dist_k(g)), 0), the weight for h. dist is voter-major: row k
// holds voter k's distances to sites 0..m-1 and then vote_padding entries that only fill
// lanes whose sums are dropped. Several pairs run side by side, one per lane; every lane is
// still its own sum in voter order, so the values are those of one pair at a time.
void sum_votes(const double* dist, std::size_t stride, const double* w, int n, int m, double* votes) {
#if defined(__SSE2__)
  const __m128d zero = _mm_setzero_pd();
  const __m128d sign = _mm_set1_pd(-0.0);
  // std::max(v, 0.0) is (v < 0) ? 0 : v, which MAXPD(0, v) gives lane by lane: it returns its
  // second operand for equal values (+0 and -0) and for NaN.
  const auto add_votes = [&](__m128d v, __m128d& for_g, __m128d& for_h) {
    for_g = _mm_add_pd(for_g, _mm_max_pd(zero, v));
    for_h = _mm_add_pd(for_h, _mm_max_pd(zero, _mm_xor_pd(v, sign)));
  };
  for (int g = 0; g < m; ++g) {
    for (int h = g + 1; h < m;) {
      double for_g[4];
      double for_h[4];
      int lanes = 4;
      if (m - h >= 3) {
        __m128d g01 = zero, g23 = zero, h01 = zero, h23 = zero;
        const double* row = dist;
        for (int k = 0; k < n; ++k, row += stride) {
          const __m128d weight = _mm_set1_pd(w[k]);
          const __m128d here = _mm_set1_pd(row[g]);
          add_votes(_mm_mul_pd(weight, _mm_sub_pd(_mm_loadu_pd(row + h), here)), g01, h01);
          add_votes(_mm_mul_pd(weight, _mm_sub_pd(_mm_loadu_pd(row + h + 2), here)), g23, h23);
        }
        _mm_storeu_pd(for_g, g01);
        _mm_storeu_pd(for_g + 2, g23);
        _mm_storeu_pd(for_h, h01);
        _mm_storeu_pd(for_h + 2, h23);
      } else {
        lanes = 2;
        __m128d g01 = zero, h01 = zero;
        const double* row = dist;
        for (int k = 0; k < n; ++k, row += stride)
          add_votes(_mm_mul_pd(_mm_set1_pd(w[k]), _mm_sub_pd(_mm_loadu_pd(row + h), _mm_set1_pd(row[g]))), g01, h01);
        _mm_storeu_pd(for_g, g01);
        _mm_storeu_pd(for_h, h01);
      }
      for (int lane = 0; lane < lanes && h < m; ++lane, ++h) {
        votes[g * m + h] = for_g[lane];
        votes[h * m + g] = for_h[lane];
      }
    }
  }
#else
  for (int g = 0; g < m; ++g)
    for (int h = g + 1; h < m; ++h) {
      double for_g = 0.0;
      double for_h = 0.0;
      const double* row = dist;
      for (int k = 0; k < n; ++k, row += stride) {
        const double v = w[k] * (row[h] - row[g]);
        for_g += std::max(v, 0.0);
        for_h += std::max(-v, 0.0);
      }
      votes[g * m + h] = for_g;
      votes[h * m + g] = for_h;
    }
#endif
}

// Whether a sender site surely makes receiver i no offer (Q = 1), decided before the two
// exp() that its U_s and U_f would cost. d is the site's distance / range, share is s_i (1 - P_ji),
// threshold is max(1/2, 0.5^r) + 1e-4 for i's exponent r in [1/4, 4].
//
// Exactly, with H = 0.5^r, A = 1 - (1 - d)^r, B = (1 + d)^r - 1: U_s - U_sq = 4 H A,
// U_s - U_f = 4 H (A + B), and b = s_i (P_ji U_s + (1 - P_ji) U_f) + (1 - s_i) U_s - U_sq
// = 4 H (A - share (A + B)). A / (A + B) <= max(1/2, H): for r >= 1 Bernoulli gives A <= r d
// <= B; for r <= 1, A <= d (as (1 - d)^r >= 1 - d) and B >= (2^r - 1) d (t^r is concave on
// [1, 2], so above its chord), so A / (A + B) <= 1 / 2^r = H. Hence share >= threshold gives
// b <= -4 H (A + B) 1e-4, and A + B >= min(r, 1) d (for r <= 1 concavity gives A >= r d;
// for r >= 1, B >= r d) >= d / 4. With H >= 1/16 and d >= 1e-4: b <= -6e-10. The model's
// rounded b differs from that exact value by the rounding of log(0.5 -+ 0.5 d), of r log,
// of exp, pow and about ten additions and products of numbers below 4 in size: far below
// 1e-13, so it is negative too and the site would make no offer. The threshold's own
// rounding (a few 1e-16) and that of share are covered by the 1e-4. d > 1 is left alone.
bool no_offer_without_exp(double d, double share, double threshold) {
  return share >= threshold && d >= 1e-4 && d <= 1.0;
}

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
  half_to_the_cache_.fill({std::numeric_limits<double>::quiet_NaN(), 0.0});  // matches no exponent
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
    for (auto* v : {&site_x_, &success_, &receiver_base_, &sender_gain_, &term_a_, &danger_term_}) v->resize(n);
    vote_distance_.resize(n * vote_stride(static_cast<int>(n)));
    votes_.resize(n * n);
    site_distance_.resize(n * n);
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
  const std::size_t stride = vote_stride(n);
  for (int k = 0; k < n; ++k) {
    const bool raise = use_risk && voter_risk[k] != 1.0;
    double* row = &vote_distance_[k * stride];
    for (int g = 0; g < m; ++g) {
      const double d = std::abs(x_[k] - site_x_[g]) * inverse_range;
      row[g] = raise ? std::pow(d, voter_risk[k]) : d;
    }
    std::fill(row + m, row + m + vote_padding, 0.0);  // read by unused lanes only
  }
  double all_pairs = 0.0;  // Scholz's denominator: every voter's |vote| over every ordered pair
  if (options_.probability == NegotiationOptions::Probability::ScholzAllPairs) {
    for (int k = 0; k < n; ++k) {
      const double* row = &vote_distance_[k * stride];
      double sum = 0.0;
      for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) sum += std::abs(row[site_of_[b]] - row[site_of_[a]]);
      all_pairs += w_[k] * sum;
    }
  }
  // Per pair of sites g < h. An actor pair (i, j) with i < j sits at (g, h) or (h, g); its
  // votes then have the same magnitudes with the roles swapped, so both orders give the
  // same sums and probabilities, bit for bit.
  sum_votes(vote_distance_.data(), stride, w_.data(), n, m, votes_.data());
  // P(g beats h) and P(h beats g) from the votes for each; the variant's choice outside the loop.
  const auto each_pair = [&](auto probabilities) {
    for (int g = 0; g < m; ++g) {
      prob_[g * m + g] = 0.0;  // no contest between equal positions
      for (int h = g + 1; h < m; ++h) {
        const auto [p_gh, p_hg] = probabilities(votes_[g * m + h], votes_[h * m + g]);
        prob_[g * m + h] = p_gh;
        prob_[h * m + g] = p_hg;
      }
    }
  };
  using Probabilities = std::pair<double, double>;
  switch (options_.probability) {
    case NegotiationOptions::Probability::PairwiseVotes:
      each_pair([](double for_g, double for_h) {
        if (!(for_g + for_h > 0.0)) return Probabilities{0.5, 0.5};  // nobody prefers either
        return Probabilities{for_g / (for_g + for_h), for_h / (for_g + for_h)};
      });
      break;
    case NegotiationOptions::Probability::NetVotes:
      each_pair([](double for_g, double for_h) {
        if (!(for_g + for_h > 0.0)) return Probabilities{0.5, 0.5};
        return Probabilities{std::max(0.0, for_g - for_h) / (for_g + for_h),
                             std::max(0.0, for_h - for_g) / (for_g + for_h)};
      });
      break;
    case NegotiationOptions::Probability::ScholzAllPairs:
      each_pair([all_pairs](double for_g, double for_h) {
        if (!(all_pairs > 0.0)) return Probabilities{0.5, 0.5};
        return Probabilities{for_g / all_pairs, for_h / all_pairs};
      });
      break;
  }
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
      // Challengers at the target's own position (d = 0) add exactly zero: skipped. The term
      // depends on the challenger only through its site, so it is computed once per site and
      // then added challenger by challenger, in the same order as before.
      const double resist = s_[target];
      double* term = danger_term_.data();
      for (int h = 0; h < m; ++h) {
        const double d = std::abs(site_x_[h] - site_x_[site]) * inverse_range;
        term[h] = 2.0 * d * (1.0 - resist + resist * (2.0 * prob_[h * m + site] - 1.0));
      }
      for (int k = 0; k < n; ++k)
        if (site_of_[k] != site) danger += term[site_of_[k]];
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

double Bargaining::half_to_the(double r) {
  if (r == 1.0) return 0.5;
  // Many actors keep the same exponent between rounds (those of least and most danger get
  // exactly the two extreme values), so the last few pow() results are kept.
  for (const auto& [exponent, power] : half_to_the_cache_)
    if (exponent == r) return power;
  const double power = std::pow(0.5, r);
  half_to_the_cache_[half_to_the_next_] = {r, power};
  half_to_the_next_ = (half_to_the_next_ + 1) % half_to_the_cache_.size();
  return power;
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
      site_distance_[g * m + h] = site_distance_[h * m + g] = d;
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
  double* receiver_base = receiver_base_.data();
  double* sender_gain = sender_gain_.data();
  double* term_a = term_a_.data();
  const bool forecast_terms = options_.q < 1.0;
  for (int i = 0; i < n; ++i) {  // i receives offers and may move
    x_next_[i] = x[i];
    const double r = r_[i];
    const double half_to_r = half_to_the(r);  // 0.5^r: the status quo's U = 2 - 4 * 0.5^r
    const double status_quo = options_.q * (2.0 - 4.0 * half_to_r);
    const int own = site_of[i];
    // b (the sender's gain, as i sees it) is <= 0 whenever s_i (1 - P_ji) > max(1/2, 0.5^r)
    // by a margin; such a site makes no offer, so its two exp() are skipped. See
    // no_offer_without_exp() for why the rounded b is then <= 0 too.
    const bool may_skip = !forecast_terms && r >= 0.25 && r <= 4.0;
    const double skip_share = std::max(0.5, half_to_r) + 1e-4;
    // Both sides' utilities are seen through i's risk exponent, so they share U_s and U_f,
    // which depend on the sender only through its site; so does b.
    sender_gain[own] = 0.0;  // an equal position: no contest
    for (int h = 0; h < m; ++h) {
      if (h == own) continue;
      const double p_ji = prob[h * m + own];
      if (may_skip && no_offer_without_exp(site_distance_[own * m + h], s[i] * (1.0 - p_ji), skip_share)) {
        sender_gain[h] = 0.0;
        continue;
      }
      const double success = 2.0 - 4.0 * std::exp(r * log_near_[own * m + h]);
      const double failure = 2.0 - 4.0 * std::exp(r * log_far_[own * m + h]);
      const double p_ij = prob[own * m + h];
      success_at[h] = success;
      if (forecast_terms) {  // combine_utilities with the per-site forecast terms
        receiver_base[h] = p_ij * success + (1.0 - p_ij) * failure;
        term_a[h] = forecast_term(x[i], site_x_[h], r, mu);
        const double b = s[i] * (p_ji * success + (1.0 - p_ji) * failure) + (1.0 - s[i]) * success - status_quo;
        sender_gain[h] = b - forecast_term(site_x_[h], x[i], r, mu);
      } else {  // the same formula without the forecast-dependent terms, kept inline
        receiver_base[h] = p_ij * (success - failure) + failure;
        sender_gain[h] = s[i] * (p_ji * (success - failure) + failure) + (1.0 - s[i]) * success - status_quo;
      }
    }
    int best = -1;
    int best_rank = 0;       // for TypePriority: 0 confrontation, 1 compromise, 2 capitulation
    double best_key = 0.0;   // smaller is better
    double best_move = 0.0;
    std::size_t best_trace = 0;
    for (int j = 0; j < n; ++j) {
      const int site = site_of[j];
      const double b = sender_gain[site];
      if (!(b > 0.0)) continue;  // j has nothing to gain, so makes no offer
      double a = s[j] * receiver_base[site] + (1.0 - s[j]) * success_at[site] - status_quo;
      if (forecast_terms) a -= term_a[site];
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
