#include "arbiter/negotiation/monte_carlo.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>
#include <vector>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/rng/distributions.hpp"
#include "arbiter/rng/stream.hpp"

namespace arbiter::negotiation {

namespace {

double quantile_sorted(std::span<const double> sorted, double p) {
  const double h = p * double(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

Distribution summarise(std::span<double> values) {
  check_invariant(!values.empty(), "summarise: no values");
  double sum = 0.0;
  for (double v : values) sum += v;  // in draw order, before sorting: reproducible sum
  std::sort(values.begin(), values.end());
  return Distribution{.mean = sum / double(values.size()),
                      .p05 = quantile_sorted(values, 0.05),
                      .p25 = quantile_sorted(values, 0.25),
                      .p50 = quantile_sorted(values, 0.50),
                      .p75 = quantile_sorted(values, 0.75),
                      .p95 = quantile_sorted(values, 0.95)};
}

void draw_actors(std::span<const UncertainActor> actors, std::uint64_t seed, std::uint64_t draw,
                 std::span<double> capability, std::span<double> position, std::span<double> salience,
                 std::span<double> risk_exponent) {
  for (std::size_t k = 0; k < actors.size(); ++k) {
    const auto& actor = actors[k];
    rng::Stream stream({.seed = rng::MasterSeed{seed},
                        .run_index = draw,
                        .purpose = rng::Purpose::Negotiation,
                        .actor_index = static_cast<std::uint32_t>(k),
                        .step = 0});
    // Always four uniforms, so fixing one input never shifts another's numbers.
    capability[k] = rng::uniform(stream, actor.capability.low, actor.capability.high);
    position[k] = rng::uniform(stream, actor.position.low, actor.position.high);
    salience[k] = rng::uniform(stream, actor.salience.low, actor.salience.high);
    const double r = actor.risk_exponent ? rng::uniform(stream, actor.risk_exponent->low, actor.risk_exponent->high)
                                         : (static_cast<void>(stream.next_unit()), std::numeric_limits<double>::quiet_NaN());
    risk_exponent[k] = r;
  }
}

MonteCarloResult negotiate_monte_carlo(std::span<const UncertainActor> actors, const NegotiationOptions& options,
                                       const MonteCarloOptions& mc) {
  check_invariant(!actors.empty(), "negotiate_monte_carlo: no actors");
  check_invariant(mc.draws > 0 && mc.threads >= 0, "negotiate_monte_carlo: draws > 0 and threads >= 0");
  NegotiationOptions fixed = options;
  if (fixed.issue_range <= 0.0) {
    double lo = actors[0].position.low;
    double hi = actors[0].position.high;
    for (const auto& actor : actors) {
      lo = std::min({lo, actor.position.low, actor.position.high});
      hi = std::max({hi, actor.position.low, actor.position.high});
    }
    fixed.issue_range = hi > lo ? hi - lo : 1.0;
  }
  const auto draws = static_cast<std::size_t>(mc.draws);
  std::vector<double> model(draws), mean(draws), median(draws);

  // One per thread: the drawn inputs and the model, allocated once.
  struct ThreadState {
    explicit ThreadState(std::size_t n) : capability(n), position(n), salience(n), risk(n) {}
    std::vector<double> capability, position, salience, risk;
    std::optional<Bargaining> bargaining;
  };
  const auto worker = [&](ThreadState& state, std::size_t first, std::size_t last) {
    auto& [capability, position, salience, risk, bargaining] = state;
    for (std::size_t d = first; d < last; ++d) {
      draw_actors(actors, mc.seed, d, capability, position, salience, risk);
      const ActorArrays arrays{capability, position, salience, risk};
      if (bargaining) bargaining->reset(arrays); else bargaining.emplace(arrays, fixed);
      mean[d] = weighted_mean(bargaining->positions(), bargaining->weights());
      median[d] = bargaining->median();  // its sort is reused by the first round
      double forecast = fixed.forecast == NegotiationOptions::Forecast::WeightedMedian ? median[d] : mean[d];
      for (int round = 0; round < fixed.rounds; ++round) {
        bargaining->run_round(nullptr);
        const double before = forecast;
        forecast = bargaining->forecast();
        if (fixed.convergence_tolerance > 0.0 &&
            std::abs(forecast - before) < fixed.convergence_tolerance * bargaining->issue_range())
          break;
      }
      model[d] = forecast;
    }
  };

  unsigned threads = mc.threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : unsigned(mc.threads);
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, draws));
  if (threads <= 1) {
    ThreadState state(actors.size());
    worker(state, 0, draws);
  } else {
    // Threads take blocks of draws from a shared counter, so a thread slowed by other work
    // on its core takes fewer blocks. Every draw writes only its own slot, so neither the
    // split nor the timing can change results.
    const std::size_t block = std::clamp<std::size_t>(draws / (16 * threads), 1, 256);
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        try {
          ThreadState state(actors.size());
          for (std::size_t first = next.fetch_add(block); first < draws; first = next.fetch_add(block))
            worker(state, first, std::min(first + block, draws));
        } catch (...) {
          errors[t] = std::current_exception();
          next.store(draws);  // the others stop after their current block
        }
      });
    }
    for (auto& thread : pool) thread.join();
    for (const auto& error : errors)
      if (error) std::rethrow_exception(error);
  }
  return MonteCarloResult{.draws = mc.draws,
                          .model = summarise(model),
                          .weighted_mean_baseline = summarise(mean),
                          .weighted_median_baseline = summarise(median)};
}

}  // namespace arbiter::negotiation
