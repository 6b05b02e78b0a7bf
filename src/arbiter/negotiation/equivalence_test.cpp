// The optimised Bargaining (pair terms computed once per pair of distinct positions, sorted
// order reused between rounds) against a plain reference that treats every ordered pair of
// actors separately, as the model was first written. Both evaluate the same expressions on
// the same inputs, so positions, risk exponents and offers must agree bit for bit; the
// utilities are also checked against the pow()-based Bargaining::expected_utility.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "arbiter/negotiation/bargaining.hpp"
#include "arbiter/rng/distributions.hpp"
#include "arbiter/rng/stream.hpp"

namespace arbiter::negotiation {
namespace {

struct ReferenceOffer {
  int from = 0, to = 0;
  RoundTrace::PairOutcome::Kind kind = RoundTrace::PairOutcome::None;
  double move = 0.0, a = 0.0, b = 0.0;
  bool accepted = false;
};

// The model with n x n tables and no caching between rounds.
class Reference {
 public:
  Reference(std::vector<double> c, std::vector<double> x, std::vector<double> s, std::vector<double> fixed_r,
            const NegotiationOptions& o)
      : o_(o), n_(int(x.size())), x_(std::move(x)), s_(std::move(s)), fixed_r_(std::move(fixed_r)) {
    for (int k = 0; k < n_; ++k) w_.push_back(c[k] * s_[k]);
    range_ = o_.issue_range;
    if (range_ <= 0.0) range_ = *std::max_element(x_.begin(), x_.end()) - *std::min_element(x_.begin(), x_.end());
    if (!(range_ > 0.0)) range_ = 1.0;
  }

  double median() const {
    std::vector<int> index(n_);
    std::iota(index.begin(), index.end(), 0);
    std::stable_sort(index.begin(), index.end(), [&](int a, int b) { return x_[a] < x_[b]; });
    const double total = std::accumulate(w_.begin(), w_.end(), 0.0);
    const double half = 0.5 * total * (1.0 + 1e-12);
    double below = 0.0;
    for (int k = 0; k < n_;) {
      const double here = x_[index[k]];
      double group = 0.0;
      int end = k;
      for (; end < n_ && x_[index[end]] == here; ++end) group += w_[index[end]];
      if (below <= half && total - below - group <= half) return here;
      below += group;
      k = end;
    }
    return x_[index[n_ - 1]];
  }
  double forecast() const {
    return o_.forecast == NegotiationOptions::Forecast::WeightedMean ? weighted_mean(x_, w_) : median();
  }

  std::vector<double> probabilities(const std::vector<double>& voter_risk) const {
    std::vector<double> dist(n_ * n_), p(n_ * n_, 0.0);
    for (int k = 0; k < n_; ++k)
      for (int a = 0; a < n_; ++a) {
        const double d = std::abs(x_[k] - x_[a]) * (1.0 / range_);
        dist[k * n_ + a] = (o_.voter_risk_in_probability && voter_risk[k] != 1.0) ? std::pow(d, voter_risk[k]) : d;
      }
    double all_pairs = 0.0;
    for (int k = 0; k < n_; ++k) {
      double sum = 0.0;
      for (int a = 0; a < n_; ++a)
        for (int b = 0; b < n_; ++b) sum += std::abs(dist[k * n_ + b] - dist[k * n_ + a]);
      all_pairs += w_[k] * sum;
    }
    for (int i = 0; i < n_; ++i)
      for (int j = i + 1; j < n_; ++j) {
        if (x_[i] == x_[j]) continue;
        double for_i = 0.0, for_j = 0.0;
        for (int k = 0; k < n_; ++k) {
          const double v = w_[k] * (dist[k * n_ + j] - dist[k * n_ + i]);
          for_i += std::max(v, 0.0);
          for_j += std::max(-v, 0.0);
        }
        double p_ij = 0.5, p_ji = 0.5;
        using P = NegotiationOptions::Probability;
        if (o_.probability == P::PairwiseVotes && for_i + for_j > 0.0) {
          p_ij = for_i / (for_i + for_j);
          p_ji = for_j / (for_i + for_j);
        } else if (o_.probability == P::NetVotes && for_i + for_j > 0.0) {
          p_ij = std::max(0.0, for_i - for_j) / (for_i + for_j);
          p_ji = std::max(0.0, for_j - for_i) / (for_i + for_j);
        } else if (o_.probability == P::ScholzAllPairs && all_pairs > 0.0) {
          p_ij = for_i / all_pairs;
          p_ji = for_j / all_pairs;
        }
        p[i * n_ + j] = p_ij;
        p[j * n_ + i] = p_ji;
      }
    return p;
  }

  static double scaled(double base, double r) { return 2.0 - 4.0 * (r == 1.0 ? base : std::pow(base, r)); }
  double forecast_term(int from, int to, double r, double mu) const {
    const double spread = 0.25 * (std::abs(x_[from] - mu) + std::abs(x_[from] - x_[to])) / range_;
    return (1.0 - o_.q) * (o_.t * scaled(0.5 - spread, r) + (1.0 - o_.t) * scaled(0.5 + spread, r));
  }
  // E U(i, j) from U_s, U_f given by the caller.
  double combine(int i, int j, double success, double failure, double status_quo, double r, double p,
                 double mu) const {
    double eu = s_[j] * (p * success + (1.0 - p) * failure) + (1.0 - s_[j]) * success - status_quo;
    if (o_.q < 1.0) eu -= forecast_term(i, j, r, mu);
    return eu;
  }

  std::vector<double> risk_exponents(double mu) const {
    const auto p = probabilities(std::vector<double>(n_, 1.0));
    std::vector<double> danger(n_, 0.0), r(n_);
    for (int t = 0; t < n_; ++t)
      for (int k = 0; k < n_; ++k) {
        if (k == t) continue;
        if (o_.q < 1.0) {
          const double d = std::abs(x_[k] - x_[t]) / range_;
          danger[t] += combine(k, t, scaled(0.5 - 0.5 * d, 1.0), scaled(0.5 + 0.5 * d, 1.0), o_.q * scaled(0.5, 1.0),
                               1.0, p[k * n_ + t], mu);
        } else {
          const double d = std::abs(x_[k] - x_[t]) * (1.0 / range_);
          danger[t] += 2.0 * d * (1.0 - s_[t] + s_[t] * (2.0 * p[k * n_ + t] - 1.0));
        }
      }
    const double lo = *std::min_element(danger.begin(), danger.end());
    const double hi = *std::max_element(danger.begin(), danger.end());
    for (int k = 0; k < n_; ++k) {
      const double relative = hi > lo ? (2.0 * danger[k] - hi - lo) / (hi - lo) : 0.0;
      r[k] = std::isnan(fixed_r_[k]) ? (1.0 - relative / 3.0) / (1.0 + relative / 3.0) : fixed_r_[k];
    }
    return r;
  }

  // One round; returns the offers in the order receiver by receiver, sender by sender.
  std::vector<ReferenceOffer> run_round() {
    using Kind = RoundTrace::PairOutcome::Kind;
    using Selection = NegotiationOptions::OfferSelection;
    mu_ = forecast();
    r_ = risk_exponents(mu_);
    const auto p = probabilities(o_.voter_risk_in_probability ? r_ : std::vector<double>(n_, 1.0));
    std::vector<ReferenceOffer> offers;
    std::vector<double> next = x_;
    for (int i = 0; i < n_; ++i) {
      const double r = r_[i];
      const double status_quo = o_.q * scaled(0.5, r);
      int best = -1, best_rank = 0;
      double best_key = 0.0, best_move = 0.0;
      for (int j = 0; j < n_; ++j) {
        if (j == i || x_[j] == x_[i]) continue;
        const double d = std::abs(x_[i] - x_[j]) / range_;
        const double success = 2.0 - 4.0 * std::exp(r * std::log(0.5 - 0.5 * d));
        const double failure = 2.0 - 4.0 * std::exp(r * std::log(0.5 + 0.5 * d));
        double a = 0.0, b = 0.0;
        if (o_.q < 1.0) {
          a = combine(i, j, success, failure, status_quo, r, p[i * n_ + j], mu_);
          b = combine(j, i, success, failure, status_quo, r, p[j * n_ + i], mu_);
        } else {
          a = s_[j] * (p[i * n_ + j] * (success - failure) + failure) + (1.0 - s_[j]) * success - status_quo;
          b = s_[i] * (p[j * n_ + i] * (success - failure) + failure) + (1.0 - s_[i]) * success - status_quo;
        }
        if (!(b > 0.0)) continue;
        const double gap = x_[j] - x_[i];
        Kind kind = Kind::None;
        double move = 0.0;
        if (a > 0.0 && b > a) {
          kind = Kind::Confrontation;
          move = gap;
        } else if (a < 0.0) {
          if (-a / b < 1.0) {
            kind = Kind::Compromise;
            move = gap * (-a / b);
          } else if (o_.allow_capitulation) {
            kind = Kind::Capitulation;
            move = gap;
          }
        }
        if (kind == Kind::None) continue;
        offers.push_back({j, i, kind, move, a, b, false});
        int rank = 0;
        double key = std::abs(move);
        if (o_.selection == Selection::LargestSenderUtility) key = -b;
        if (o_.selection == Selection::TypePriority) {
          rank = kind == Kind::Confrontation ? 0 : kind == Kind::Compromise ? 1 : 2;
          if (kind == Kind::Compromise) key = (-a * x_[i] + b * x_[j]) / (-a + b);
        }
        if (best < 0 || rank < best_rank || (rank == best_rank && key < best_key) ||
            (rank == best_rank && key == best_key && std::abs(move) < std::abs(best_move))) {
          best = int(offers.size()) - 1;
          best_rank = rank;
          best_key = key;
          best_move = move;
        }
      }
      if (best >= 0) {
        next[i] = x_[i] + best_move;
        offers[best].accepted = true;
      }
    }
    x_ = next;
    return offers;
  }

  const std::vector<double>& positions() const { return x_; }
  const std::vector<double>& risk() const { return r_; }
  double mu() const { return mu_; }

 private:
  NegotiationOptions o_;
  int n_;
  double range_ = 1.0, mu_ = 0.0;
  std::vector<double> x_, s_, w_, fixed_r_, r_;
};

struct Case {
  std::vector<double> capability, position, salience, fixed_r;
};

// Random actors; on a coarse grid most positions are shared, as after confrontations.
Case random_case(std::uint64_t draw, int n, bool grid, bool some_fixed_r) {
  rng::Stream stream({.seed = rng::MasterSeed{20261125}, .run_index = draw, .purpose = rng::Purpose::Negotiation});
  Case c;
  for (int k = 0; k < n; ++k) {
    c.capability.push_back(rng::uniform(stream, 0.1, 10.0));
    const double x = rng::uniform(stream, 0.0, 100.0);
    c.position.push_back(grid ? 25.0 * std::floor(x / 25.0) : x);
    c.salience.push_back(k == 0 ? 1.0 : rng::uniform(stream, 0.0, 1.0));
    const double u = rng::uniform(stream, 0.0, 1.0);
    c.fixed_r.push_back(some_fixed_r && u < 0.3 ? (u < 0.1 ? 1.0 : 0.5 + 5.0 * u)
                                                : std::numeric_limits<double>::quiet_NaN());
  }
  return c;
}

std::vector<NegotiationOptions> all_variants() {
  using O = NegotiationOptions;
  std::vector<O> variants;
  for (auto probability : {O::Probability::PairwiseVotes, O::Probability::NetVotes, O::Probability::ScholzAllPairs})
    for (auto selection :
         {O::OfferSelection::SmallestMove, O::OfferSelection::LargestSenderUtility, O::OfferSelection::TypePriority})
      for (bool voter_risk : {false, true})
        for (bool capitulation : {false, true})
          for (double q : {1.0, 0.6})
            variants.push_back(O{.forecast = q < 1.0 && voter_risk ? O::Forecast::WeightedMean : O::Forecast::WeightedMedian,
                                 .probability = probability,
                                 .selection = selection,
                                 .voter_risk_in_probability = voter_risk,
                                 .allow_capitulation = capitulation,
                                 .q = q,
                                 .t = q < 1.0 ? 0.3 : 1.0,
                                 .rounds = 6});
  return variants;
}

TEST(Equivalence, EveryVariantMatchesThePairByPairReferenceBitForBit) {
  int rounds_compared = 0;
  int offers_compared = 0;
  std::uint64_t draw = 0;
  for (const auto& options : all_variants()) {
    for (int n : {1, 2, 5, 8}) {
      // One model reused across cases of a size, as Monte Carlo and the engine reuse it.
      std::optional<Bargaining> model;
      for (int rep = 0; rep < 6; ++rep) {
        const Case c = random_case(draw++, n, rep % 2 == 0, rep >= 4);
        const ActorArrays arrays{c.capability, c.position, c.salience, c.fixed_r};
        if (model) model->reset(arrays); else model.emplace(arrays, options);
        Bargaining untraced(arrays, options);
        Reference reference(c.capability, c.position, c.salience, c.fixed_r, options);
        ASSERT_EQ(model->median(), weighted_median(c.position, model->weights()));
        ASSERT_EQ(model->forecast(), reference.forecast());
        for (int round = 0; round < options.rounds; ++round) {
          RoundTrace trace;
          model->run_round(&trace);
          untraced.run_round(nullptr);
          const auto offers = reference.run_round();
          const auto where = ::testing::Message() << "draw " << draw - 1 << " round " << round << " variant q="
                                                   << options.q << " p=" << int(options.probability)
                                                   << " sel=" << int(options.selection)
                                                   << " vr=" << options.voter_risk_in_probability;
          ASSERT_EQ(trace.forecast_at_start, reference.mu()) << where;
          ASSERT_EQ(trace.risk_exponents, reference.risk()) << where;
          ASSERT_EQ(trace.positions, reference.positions()) << where;
          ASSERT_TRUE(std::equal(untraced.positions().begin(), untraced.positions().end(),
                                 reference.positions().begin(), reference.positions().end()))
              << where;
          ASSERT_EQ(trace.outcomes.size(), offers.size()) << where;
          for (std::size_t k = 0; k < offers.size(); ++k) {
            const auto& got = trace.outcomes[k];
            ASSERT_EQ(got.from, offers[k].from) << where;
            ASSERT_EQ(got.to, offers[k].to) << where;
            ASSERT_EQ(got.kind, offers[k].kind) << where;
            ASSERT_EQ(got.move, offers[k].move) << where;
            ASSERT_EQ(got.receiver_utility, offers[k].a) << where;
            ASSERT_EQ(got.sender_utility, offers[k].b) << where;
            ASSERT_EQ(got.accepted, offers[k].accepted) << where;
          }
          ASSERT_EQ(trace.median, weighted_median(trace.positions, model->weights())) << where;
          ASSERT_EQ(model->forecast(), reference.forecast()) << where;
          offers_compared += int(offers.size());
          ++rounds_compared;
        }
      }
    }
  }
  EXPECT_EQ(rounds_compared, 72 * 4 * 6 * 6);
  EXPECT_GT(offers_compared, 10000);  // the comparison is not vacuous
}

TEST(Equivalence, OfferUtilitiesAgreeWithThePowForm) {
  // a = E^i U(i, j) with i's exponent; the round computes U_s and U_f as exp(r log(.)), the
  // accessor with pow(): equal up to rounding.
  int checked = 0;
  for (std::uint64_t draw = 0; draw < 200; ++draw) {
    const Case c = random_case(1000 + draw, 7, draw % 2 == 0, false);
    for (double q : {1.0, 0.5}) {
      const NegotiationOptions options{.q = q, .t = 0.7};
      const ActorArrays arrays{c.capability, c.position, c.salience, c.fixed_r};
      Bargaining round(arrays, options);
      Bargaining before(arrays, options);
      RoundTrace trace;
      round.run_round(&trace);
      const std::vector<double> ones(c.position.size(), 1.0);
      for (const auto& offer : trace.outcomes) {
        const double r = trace.risk_exponents[offer.to];
        const double a = before.expected_utility(offer.to, offer.from, r, before.probability(offer.to, offer.from, ones),
                                                 trace.forecast_at_start);
        const double b = before.expected_utility(offer.from, offer.to, r, before.probability(offer.from, offer.to, ones),
                                                 trace.forecast_at_start);
        EXPECT_NEAR(offer.receiver_utility, a, 1e-12 * std::max(1.0, std::abs(a)));
        EXPECT_NEAR(offer.sender_utility, b, 1e-12 * std::max(1.0, std::abs(b)));
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 500);
}

}  // namespace
}  // namespace arbiter::negotiation
