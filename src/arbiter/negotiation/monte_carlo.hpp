#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "arbiter/negotiation/bargaining.hpp"

// Monte Carlo over uncertain actor inputs: each draw samples every uncertain number
// uniformly from its range and runs the deterministic model.
namespace arbiter::negotiation {

/// A number known only to lie in [low, high]; low == high for a known number.
struct UncertainValue {
  double low = 0.0;
  double high = 0.0;
  [[nodiscard]] bool is_fixed() const noexcept { return low == high; }
};

struct UncertainActor {
  std::string name;
  UncertainValue capability;
  UncertainValue position;
  UncertainValue salience;
  std::optional<UncertainValue> risk_exponent;
};

struct MonteCarloOptions {
  std::uint64_t seed = 1;
  int draws = 1000;
  int threads = 1;  // 0 = one per hardware thread; results never depend on it
};

/// Summary of one quantity over all draws; quantiles interpolate linearly between order
/// statistics (Hyndman & Fan type 7).
struct Distribution {
  double mean = 0.0;
  double p05 = 0.0, p25 = 0.0, p50 = 0.0, p75 = 0.0, p95 = 0.0;
};

struct MonteCarloResult {
  int draws = 0;
  Distribution model;                     // the final forecast after options.rounds
  Distribution weighted_mean_baseline;    // of each draw's initial positions
  Distribution weighted_median_baseline;  // likewise
};

/// The actors of draw `draw`: stream (seed, draw, Purpose::Negotiation, actor), consumed in
/// the order capability, position, salience, risk exponent, one uniform each, always.
void draw_actors(std::span<const UncertainActor> actors, std::uint64_t seed, std::uint64_t draw,
                 std::span<double> capability, std::span<double> position, std::span<double> salience,
                 std::span<double> risk_exponent);

/// Runs `mc.draws` draws on `mc.threads` threads and reduces them in draw order. When
/// options.issue_range is 0 the range is fixed for all draws as max(position.high) -
/// min(position.low), so a draw's spread does not change the utility scale.
[[nodiscard]] MonteCarloResult negotiate_monte_carlo(std::span<const UncertainActor> actors,
                                                     const NegotiationOptions& options, const MonteCarloOptions& mc);

/// Mean and quantiles of `values`, which it sorts.
[[nodiscard]] Distribution summarise(std::span<double> values);

}  // namespace arbiter::negotiation
