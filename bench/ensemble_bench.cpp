// Aggregation throughput of the ensemble: how fast runs are folded into per-cell means and
// quantile sketches, alone and inside run_ensemble with a simulator that costs almost nothing.
// Target shape: 10,000 runs x 147 quarters x 40 series.
//
// Two kinds of data (the benchmarks' second argument):
//  0 distinct: every run's values are its own draws (the worst case for grouping);
//  1 shared history: as the engine produces with a common history between runs, each run
//    follows one common trajectory until its own divergence quarter (uniform over 0..245,
//    so all runs share quarter 0 and about 40 % still share the last one), then draws its
//    own values. About 70 % of all values equal their cell's common value, in stretches of
//    consecutive runs as they fall.

#include <atomic>
#include <vector>

#include <benchmark/benchmark.h>

#include "arbiter/ensemble/aggregates.hpp"
#include "arbiter/ensemble/run_ensemble.hpp"
#include "arbiter/rng/distributions.hpp"

namespace {

using namespace arbiter;

constexpr std::size_t series_count = 40;
constexpr std::size_t quarter_count = 147;
constexpr std::size_t pool_size = 256;

engine::OutputCatalog make_catalog() {
  engine::OutputCatalog catalog;
  for (std::size_t t = 0; t < quarter_count; ++t) catalog.quarter_labels.push_back(std::to_string(t));
  for (std::size_t s = 0; s < series_count; ++s) catalog.series.push_back({std::to_string(s), "unit"});
  catalog.summaries = {{"a", "unit"}, {"b", "unit"}};
  return catalog;
}

// Distinct, realistic values (lognormal levels, some exact zeros) drawn once, so the
// benchmark measures folding rather than drawing.
std::vector<engine::RunResult> make_pool(bool shared_history) {
  std::vector<double> common(series_count * quarter_count);
  rng::Stream common_stream({rng::MasterSeed{2}, 0, rng::Purpose::Economy, rng::no_actor, 0});
  for (double& value : common) value = rng::lognormal(common_stream, 5.0, 0.5);
  std::vector<engine::RunResult> pool(pool_size);
  for (std::size_t r = 0; r < pool_size; ++r) {
    rng::Stream stream({rng::MasterSeed{1}, r, rng::Purpose::Economy, rng::no_actor, 0});
    pool[r].run_index = r;
    pool[r].series.resize(series_count * quarter_count);
    const double divergence_quarter = shared_history ? rng::uniform(stream, 0.0, quarter_count / 0.6) : -1.0;
    for (std::size_t i = 0; i < pool[r].series.size(); ++i) {
      const auto quarter = static_cast<double>(i % quarter_count);
      pool[r].series[i] = quarter < divergence_quarter            ? common[i]
                          : rng::bernoulli(stream, 0.1) ? 0.0
                                                        : rng::lognormal(stream, 5.0, 0.5);
    }
    pool[r].summaries = {rng::uniform(stream, 0, 1), rng::normal(stream, 0, 1)};
  }
  return pool;
}

class PoolSimulator final : public ensemble::Simulator {
 public:
  explicit PoolSimulator(bool shared_history) : catalog_(make_catalog()), pool_(make_pool(shared_history)) {}
  [[nodiscard]] const engine::OutputCatalog& catalog() const override { return catalog_; }
  void simulate(rng::MasterSeed, std::uint64_t run_index, engine::RunResult& out) const override {
    const engine::RunResult& source = pool_[run_index % pool_size];
    out.series = source.series;
    out.summaries = source.summaries;
  }

 private:
  engine::OutputCatalog catalog_;
  std::vector<engine::RunResult> pool_;
};

class NullSink final : public ensemble::RunResultSink {
 public:
  void accept(const engine::RunResult& result) override { benchmark::DoNotOptimize(result.run_index); }
};

const char* data_label(std::int64_t kind) { return kind == 0 ? "distinct" : "shared history"; }

// Folding alone, one thread: values per second is the figure of merit.
void BM_FoldRuns(benchmark::State& state) {
  const auto runs = static_cast<std::size_t>(state.range(0));
  const engine::OutputCatalog catalog = make_catalog();
  const std::vector<engine::RunResult> pool = make_pool(state.range(1) != 0);
  state.SetLabel(data_label(state.range(1)));
  for (auto _ : state) {
    ensemble::Aggregator aggregator(catalog);
    for (std::size_t done = 0; done < runs; done += pool_size) {
      aggregator.fold_cells(pool, 0, aggregator.cell_count());
      aggregator.fold_summaries(pool);
    }
    benchmark::DoNotOptimize(aggregator.result());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * runs * series_count * quarter_count));
}
BENCHMARK(BM_FoldRuns)->Args({10240, 0})->Args({10240, 1})->Unit(benchmark::kMillisecond);

// The whole ensemble with a simulator that only copies: simulation + checks + folding.
void BM_RunEnsemble(benchmark::State& state) {
  const PoolSimulator simulator(state.range(1) != 0);
  const std::atomic<bool> never{false};
  const auto threads = static_cast<unsigned>(state.range(0));
  state.SetLabel(data_label(state.range(1)));
  for (auto _ : state) {
    NullSink sink;
    auto outcome = ensemble::run_ensemble(simulator, {.seed = rng::MasterSeed{1}, .runs = 10000, .threads = threads},
                                          sink, nullptr, never);
    benchmark::DoNotOptimize(outcome.aggregates.series.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 10000 * series_count * quarter_count));
}
BENCHMARK(BM_RunEnsemble)->ArgsProduct({{1, 2}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
