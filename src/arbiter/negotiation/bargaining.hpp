#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

// Bueno de Mesquita's expected-utility group decision model as reconstructed by Scholz,
// Calbert & Smith (2011); see docs/negotiation.md. Pure model: no I/O.
namespace arbiter::negotiation {

struct NegotiationActor {
  std::string name;
  double capability = 0.0;  // > 0; only the relative size of capability x salience matters
  double position = 0.0;    // on the 1-D issue scale
  double salience = 0.0;    // 0..1; also the probability that the actor resists a challenge
  std::optional<double> risk_exponent;  // fixed r; empty: derived each round from the actor's danger
};

/// Every interpretive choice of the reconstruction (models.md §7.2) is a field here.
struct NegotiationOptions {
  /// The forecast mu: used in the status-quo utilities U_b/U_w and reported as the outcome.
  enum class Forecast { WeightedMedian, WeightedMean };
  /// How the weighted votes of all actors become P(i beats j).
  enum class Probability {
    PairwiseVotes,   // sum of positive votes / sum of |votes| (models.md §7.2 default)
    NetVotes,        // max(0, net vote) / sum of |votes| (the Masad replication)
    ScholzAllPairs,  // positive votes / |votes| summed over every pair of positions (Scholz's code)
  };
  /// Which of several offers a receiver accepts.
  enum class OfferSelection {
    SmallestMove,          // the one that moves the receiver least (BDM 1994, Scholz's text)
    LargestSenderUtility,  // the one whose sender gains most, as the receiver estimates it
    TypePriority,          // confrontation > compromise > capitulation (Scholz's code)
  };

  Forecast forecast = Forecast::WeightedMedian;
  Probability probability = Probability::PairwiseVotes;
  OfferSelection selection = OfferSelection::SmallestMove;
  /// Scholz's code raises each voter's distances to the voter's own risk exponent when
  /// counting votes; the §7.2 default counts plain distances.
  bool voter_risk_in_probability = false;
  /// When |a| >= b the receiver gives in completely. Off: such offers are ignored, as in
  /// the jmckib replication of Scholz's code, whose capitulation branch can never fire.
  bool allow_capitulation = true;
  double q = 1.0;  // weight of the plain status quo against the forecast-dependent ones
  double t = 1.0;  // belief that the status quo gets better rather than worse
  int rounds = 8;
  /// Stop early once the forecast moves by less than tolerance x range; 0 = fixed rounds.
  double convergence_tolerance = 0.0;
  /// The issue range Delta, fixed over all rounds; 0 = the spread of the initial positions.
  double issue_range = 0.0;
};

/// The variant that reproduces Scholz et al. (2011) Table 2 best (docs/negotiation.md).
[[nodiscard]] NegotiationOptions scholz_code_options();

struct RoundTrace {
  struct PairOutcome {
    enum Kind { Confrontation, Compromise, Capitulation, None };
    int from = 0;  // the sender of the offer
    int to = 0;    // the receiver, who would move
    Kind kind = None;
    double move = 0.0;             // signed change of the receiver's position if accepted
    double receiver_utility = 0;   // a = E^to U(to, from)
    double sender_utility = 0;     // b = E^to U(from, to), as the receiver estimates it
    bool accepted = false;
  };
  double forecast_at_start = 0.0;    // mu used in this round's utilities
  std::vector<double> positions;     // after the round's simultaneous moves
  double median = 0.0;               // weighted median of `positions`
  double mean = 0.0;                 // weighted mean of `positions`
  std::vector<PairOutcome> outcomes; // every offer that existed, receiver by receiver
  std::vector<double> risk_exponents;
};

struct NegotiationResult {
  std::vector<RoundTrace> rounds;
  double weighted_mean_baseline = 0.0;    // of the initial positions, weights capability x salience
  double weighted_median_baseline = 0.0;  // likewise
  double final_forecast = 0.0;            // the chosen forecast after the last round
  bool converged = false;                 // stopped by convergence_tolerance
};

/// Plain arrays, one entry per actor: the form the simulation engine calls with each year.
struct ActorArrays {
  std::span<const double> capability;
  std::span<const double> position;
  std::span<const double> salience;
  /// Empty, or one entry per actor: a fixed risk exponent, or NaN to derive it.
  std::span<const double> fixed_risk_exponent = {};
};

[[nodiscard]] NegotiationResult negotiate(std::span<const NegotiationActor> actors, const NegotiationOptions& options);
[[nodiscard]] NegotiationResult negotiate(const ActorArrays& actors, const NegotiationOptions& options);

/// The Condorcet winner among the positions under weighted absolute-distance voting:
/// the weighted median; on an exact tie the lower of the two tied positions.
[[nodiscard]] double weighted_median(std::span<const double> positions, std::span<const double> weights);
[[nodiscard]] double weighted_mean(std::span<const double> positions, std::span<const double> weights);

/// The model's state between rounds with every buffer it needs allocated once, so rounds
/// (and Monte Carlo draws of the same size) run without heap allocation. Its step-level
/// accessors exist for tests and explanations. One object per thread: even the const
/// forecast() and median() update the cached sort order.
class Bargaining {
 public:
  Bargaining(const ActorArrays& actors, const NegotiationOptions& options);
  /// New inputs of the same actor count; keeps the buffers.
  void reset(const ActorArrays& actors);

  /// One round: forecast, risk exponents, offers, simultaneous moves. Fills `trace` if given.
  void run_round(RoundTrace* trace);

  [[nodiscard]] int size() const noexcept { return n_; }
  [[nodiscard]] double issue_range() const noexcept { return range_; }
  [[nodiscard]] std::span<const double> positions() const noexcept { return x_; }
  [[nodiscard]] std::span<const double> weights() const noexcept { return w_; }
  [[nodiscard]] double forecast() const;
  /// The weighted median of the current positions (the same value as the free function),
  /// from the sorted order the next round reuses.
  [[nodiscard]] double median() const;

  // --- Quantities of the coming round at the current positions (for tests). ---
  /// P(i beats j) with every voter's risk exponent r_k (only used if voter_risk_in_probability).
  [[nodiscard]] double probability(int i, int j, std::span<const double> voter_risk);
  /// E^perspective U(i, j): i's expected utility from challenging j, computed with risk exponent r.
  [[nodiscard]] double expected_utility(int i, int j, double r, double win_probability, double mu) const;
  /// D_k = sum over others of their expected utility from challenging k, all r = 1.
  [[nodiscard]] std::vector<double> dangers();
  /// The risk exponents the coming round will use.
  [[nodiscard]] std::vector<double> risk_exponents();

 private:
  void compute_probabilities(std::span<const double> voter_risk);
  void compute_dangers_and_risk(double mu);
  /// P for the sites g < h from the votes for each.
  void set_probabilities(int g, int h, double for_g, double for_h, double all_pairs);
  void check_inputs(const ActorArrays& actors) const;
  /// Sorts the actors by position and groups equal positions into sites, unless done
  /// already for the current positions.
  void update_sites() const;
  [[nodiscard]] double combine_utilities(int i, int j, double success, double failure, double status_quo, double r,
                                         double win_probability, double mu) const;
  /// The (1 - Q) term of E U(from, to) for a challenger at x_from and a target at x_to.
  [[nodiscard]] double forecast_term(double x_from, double x_to, double r, double mu) const;

  NegotiationOptions options_;
  int n_ = 0;
  double range_ = 1.0;
  std::vector<double> x_, c_, s_, w_, fixed_r_, r_, ones_, x_next_, danger_;
  // Every pair term depends on the actors only through their positions, so it is computed
  // once per pair of distinct positions ("sites"); actors often share one (a confrontation
  // moves the receiver onto the sender's position). Identical inputs give identical values,
  // so this changes no result.
  mutable std::vector<int> order_;      // actors by (position, index)
  mutable std::vector<int> site_of_;    // actor -> site, sites in ascending position
  mutable std::vector<double> site_x_;  // the position of each site
  mutable int sites_ = 0;
  mutable bool sites_current_ = false;  // order_ and the sites belong to x_
  std::vector<double> vote_distance_;       // sites x n: (|x_k - site| / range)^rho_k
  std::vector<double> prob_;                // sites x sites: P(an actor at g beats one at h)
  std::vector<double> log_near_, log_far_;  // sites x sites: log(0.5 -+ 0.5 |g - h| / range)
  std::vector<double> success_, failure_, term_a_, term_b_;  // per site, for one receiver
};

}  // namespace arbiter::negotiation
