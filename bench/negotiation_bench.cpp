// The negotiation model's cost: one deterministic 8-round run of the EC emission case
// (Scholz et al. 2011) and 10,000 Monte Carlo draws of it on 2 threads.
#include <vector>

#include <benchmark/benchmark.h>

#include "arbiter/negotiation/bargaining.hpp"
#include "arbiter/negotiation/monte_carlo.hpp"

namespace {

namespace neg = arbiter::negotiation;

// BDM (1994) p. 78 as reprinted by Scholz et al. (2011), salience on 0..1.
const std::vector<double> capability{0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08};
const std::vector<double> position{4, 7, 4, 4, 10, 10, 10, 7, 4, 7};
const std::vector<double> salience{0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7};

void emission_case_8_rounds(benchmark::State& state, neg::NegotiationOptions options) {
  const neg::ActorArrays actors{capability, position, salience};
  for (auto _ : state) {
    auto result = neg::negotiate(actors, options);
    benchmark::DoNotOptimize(result.final_forecast);
  }
}
BENCHMARK_CAPTURE(emission_case_8_rounds, default_variant, neg::NegotiationOptions{})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(emission_case_8_rounds, scholz_variant, neg::scholz_code_options())->Unit(benchmark::kMicrosecond);

// The allocation-free inner loop alone, as Monte Carlo and the engine use it.
void emission_case_8_rounds_no_trace(benchmark::State& state) {
  const neg::ActorArrays actors{capability, position, salience};
  neg::Bargaining model(actors, neg::NegotiationOptions{});
  for (auto _ : state) {
    model.reset(actors);
    for (int round = 0; round < 8; ++round) model.run_round(nullptr);
    benchmark::DoNotOptimize(model.forecast());
  }
}
BENCHMARK(emission_case_8_rounds_no_trace)->Unit(benchmark::kMicrosecond);

void emission_monte_carlo_10000_draws(benchmark::State& state) {
  std::vector<neg::UncertainActor> actors;
  for (std::size_t k = 0; k < capability.size(); ++k)
    actors.push_back({"actor", {0.8 * capability[k], 1.2 * capability[k]}, {position[k] - 0.5, position[k] + 0.5},
                      {0.9 * salience[k], salience[k]}, {}});
  for (auto _ : state) {
    auto result = neg::negotiate_monte_carlo(actors, neg::NegotiationOptions{.issue_range = 6},
                                             {.seed = 1, .draws = 10000, .threads = static_cast<int>(state.range(0))});
    benchmark::DoNotOptimize(result.model.mean);
  }
}
BENCHMARK(emission_monte_carlo_10000_draws)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
