// The negotiation model's cost: one deterministic 8-round run of the EC emission case
// (Scholz et al. 2011), 10,000 Monte Carlo draws of it on 1 and 2 threads, and the
// engine's yearly call (6 actors, 4 rounds).
#include <cstdint>
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

// The engine's use (src/arbiter/engine, step_negotiation): once a year per issue, 6 actors
// shaped like the Karabakh status issue (two pairs of equal positions, range 100, 4 rounds),
// reset() + 4 x run_round(nullptr) + forecast(). The inputs cycle through 64 perturbed
// sets so branch history does not flatter a single case; time is per call.
void engine_shaped_6_actors_4_rounds(benchmark::State& state) {
  constexpr int sets = 64;
  std::vector<std::vector<double>> cap(sets), pos(sets), sal(sets);
  std::uint64_t lcg = 12345;
  const auto unit = [&lcg] {  // a fixed sequence in [0, 1); no model randomness involved
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(lcg >> 11) * 0x1.0p-53;
  };
  for (int k = 0; k < sets; ++k) {
    cap[k] = {3.0 + unit(), 0.5 + 0.2 * unit(), 4.0 + 2.0 * unit(), 5.0 * unit() + 0.1, 1.0 + unit(),
              0.2 + 0.3 * unit()};
    pos[k] = {30.0 * unit(), 0.0, 100.0, 30.0 + 40.0 * unit(), 50.0 + 50.0 * unit(), 100.0};
    sal[k] = {0.7 + 0.3 * unit(), 1.0, 0.7 + 0.3 * unit(), 0.2 + 0.6 * unit(), 0.1 + 0.5 * unit(),
              0.3 + 0.6 * unit()};
  }
  const auto arrays = [&](int k) { return neg::ActorArrays{cap[k], pos[k], sal[k]}; };
  neg::Bargaining model(arrays(0), neg::NegotiationOptions{.rounds = 4, .issue_range = 100.0});
  int k = 0;
  for (auto _ : state) {
    model.reset(arrays(k));
    for (int round = 0; round < 4; ++round) model.run_round(nullptr);
    benchmark::DoNotOptimize(model.forecast());
    k = (k + 1) % sets;
  }
}
BENCHMARK(engine_shaped_6_actors_4_rounds)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
