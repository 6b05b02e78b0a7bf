#pragma once

#include <cstdint>

// Scores of probability forecasts of one yes/no outcome, and the Monte Carlo error of a
// probability estimated from a finite ensemble.
namespace arbiter::validation {

/// The Brier score of a forecast probability against an outcome that happened (true) or
/// not: (p - o)^2. 0 is perfect, 0.25 is what a coin-flip forecast of 0.5 always gets.
[[nodiscard]] double brier_score(double probability, bool happened);

/// The standard error of an ensemble frequency `probability` from `runs` independent runs:
/// sqrt(p (1 - p) / n). A frequency of 0 or 1 gets the error of one run in n+1 instead of
/// zero, so a rare event not seen in a small ensemble is not reported as certain.
[[nodiscard]] double frequency_standard_error(double probability, std::uint64_t runs);

/// The Monte Carlo standard error of a Brier score whose forecast has standard error
/// `probability_se` (delta method: |dB/dp| = 2 |p - o|; at p = o the second-order term
/// se^2 is used instead).
[[nodiscard]] double brier_standard_error(double probability, bool happened, double probability_se);

/// The chance of at least one event in `years` years when each year has an independent
/// chance `annual_probability`: 1 - (1 - p)^years. Years may be fractional (quarters).
[[nodiscard]] double probability_within(double annual_probability, double years);

}  // namespace arbiter::validation
