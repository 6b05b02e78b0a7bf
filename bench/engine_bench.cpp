// Scenario-level throughput: one Monte Carlo run of a whole scenario, and whole ensembles
// (simulation + aggregation, no store) on 1 and 2 threads, run side by side so the
// figures are ratios on the same machine at the same time. See bench/README.md.
#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>

#include "arbiter/engine/engine.hpp"
#include "arbiter/ensemble/engine_simulator.hpp"
#include "arbiter/ensemble/run_ensemble.hpp"
#include "arbiter/scenario/scenario.hpp"

namespace {

const std::string kExample = std::string(ARBITER_SOURCE_DIR) + "/examples/two_rivals.yaml";
const std::string kKarabakh = std::string(ARBITER_SOURCE_DIR) + "/scenarios/karabakh/karabakh.yaml";

class NullSink final : public arbiter::ensemble::RunResultSink {
 public:
  void accept(const arbiter::engine::RunResult& result) override { benchmark::DoNotOptimize(result.events.size()); }
};

/// The example with only the foundation's mechanisms (economy, arms market, capability, war
/// onset and war outcome): the "before" of the full conflict-system model.
arbiter::scenario::Scenario foundation_only(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf()
       << "\nmechanisms: {credit: false, quality: false, alliances: false, mediation: false, peacekeeping: false,"
          " backers: false, alignment: false, capacity_shocks: false, patron_strategy: false, negotiation: false}\n";
  auto result = arbiter::scenario::check_scenario(text.str(), path);
  if (!result.scenario) throw std::runtime_error("foundation variant of the example does not load");
  return std::move(*result.scenario);
}

// One run after another. `path` may end in "#foundation" (the example's foundation-only
// variant) or "#from_scratch" (every run simulated from the first quarter, without the
// shared history: docs/architecture.md).
void single_run(benchmark::State& state, const std::string& path) {
  const auto suffix = path.find('#');
  const std::string file = path.substr(0, suffix);
  const std::string variant = suffix == std::string::npos ? "" : path.substr(suffix + 1);
  const auto scenario = variant == "foundation" ? foundation_only(file) : arbiter::scenario::load_scenario(file);
  const arbiter::engine::Engine engine(scenario, "");
  const bool from_scratch = variant == "from_scratch";
  arbiter::engine::RunResult result;
  std::uint64_t run = 0;
  for (auto _ : state) {
    if (from_scratch) {
      engine.simulate_from_scratch(arbiter::rng::MasterSeed{1}, run++, result);
    } else {
      engine.simulate(arbiter::rng::MasterSeed{1}, run++, result);
    }
    benchmark::DoNotOptimize(result.series.data());
  }
  state.counters["run_quarters_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * scenario.quarter_count, benchmark::Counter::kIsRate);
  state.counters["actors"] = static_cast<double>(scenario.actors.size());
  state.counters["rival_pairs"] = static_cast<double>(scenario.rivalries.size());
}

// Runs every run from the first quarter: the ensemble without the shared history.
class FromScratchSimulator final : public arbiter::ensemble::Simulator {
 public:
  explicit FromScratchSimulator(const arbiter::engine::Engine& engine) : engine_(engine) {}
  [[nodiscard]] const arbiter::engine::OutputCatalog& catalog() const override { return engine_.catalog(); }
  void simulate(arbiter::rng::MasterSeed seed, std::uint64_t run_index, arbiter::engine::RunResult& out) const override {
    engine_.simulate_from_scratch(seed, run_index, out);
  }

 private:
  const arbiter::engine::Engine& engine_;
};

void ensemble(benchmark::State& state, const std::string& path) {
  const bool from_scratch = path.ends_with("#from_scratch");
  const auto scenario = arbiter::scenario::load_scenario(path.substr(0, path.find('#')));
  const arbiter::engine::Engine engine(scenario, "");
  const arbiter::ensemble::EngineSimulator shared(engine);
  const FromScratchSimulator scratch(engine);
  const arbiter::ensemble::Simulator& simulator = from_scratch ? static_cast<const arbiter::ensemble::Simulator&>(scratch) : shared;
  const auto runs = static_cast<std::uint64_t>(state.range(0));
  const auto threads = static_cast<unsigned>(state.range(1));
  const std::atomic<bool> stop{false};
  for (auto _ : state) {
    NullSink sink;
    const auto outcome = arbiter::ensemble::run_ensemble(
        simulator, {.seed = arbiter::rng::MasterSeed{1}, .runs = runs, .threads = threads, .block_runs = 256}, sink,
        nullptr, stop);
    benchmark::DoNotOptimize(&outcome);
  }
  state.counters["run_quarters_per_s_per_core"] = benchmark::Counter(
      static_cast<double>(state.iterations() * runs) * scenario.quarter_count / threads, benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(single_run, example_foundation_only, kExample + "#foundation")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(single_run, example, kExample)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(single_run, karabakh, kKarabakh)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(single_run, karabakh_from_scratch, kKarabakh + "#from_scratch")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(ensemble, example, kExample)->Args({2000, 1})->Args({2000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(ensemble, karabakh, kKarabakh)->Args({10000, 1})->Args({10000, 2})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK_CAPTURE(ensemble, karabakh_from_scratch, kKarabakh + "#from_scratch")
    ->Args({10000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
