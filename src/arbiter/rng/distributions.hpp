#pragma once

#include "arbiter/rng/stream.hpp"

// Our own transforms, not std::*_distribution: the standard leaves those algorithms to
// the library vendor, so results would change with the compiler rather than the model.
namespace arbiter::rng {

[[nodiscard]] double uniform(Stream& stream, double low, double high) noexcept;
[[nodiscard]] bool bernoulli(Stream& stream, double probability) noexcept;
/// Standard normal by the Box-Muller transform (one of the pair is discarded, so each
/// call consumes exactly two uniforms and streams stay aligned).
[[nodiscard]] double standard_normal(Stream& stream) noexcept;
[[nodiscard]] double normal(Stream& stream, double mean, double sd) noexcept;
/// exp(N(log_median, sigma_log)): median `median`, log-sd `sigma_log`.
[[nodiscard]] double lognormal(Stream& stream, double median, double sigma_log) noexcept;
/// Gamma(shape, 1) by Marsaglia & Tsang (2000), with the shape<1 boost.
[[nodiscard]] double gamma(Stream& stream, double shape) noexcept;
/// Beta(alpha, beta) as X/(X+Y) of two gammas.
[[nodiscard]] double beta(Stream& stream, double alpha, double beta) noexcept;
/// Poisson by inversion; meant for the small means of per-quarter event counts.
[[nodiscard]] unsigned poisson(Stream& stream, double mean) noexcept;

}  // namespace arbiter::rng
