#include "arbiter/ensemble/run_ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "arbiter/rng/distributions.hpp"

namespace arbiter::ensemble {
namespace {

std::string quarter_label(std::size_t t) { return std::to_string(1994 + t / 4) + "Q" + std::to_string(t % 4 + 1); }

engine::OutputCatalog make_catalog(std::size_t series, std::size_t quarters) {
  engine::OutputCatalog catalog;
  for (std::size_t t = 0; t < quarters; ++t) catalog.quarter_labels.push_back(quarter_label(t));
  catalog.actors = {"borduria", "syldavia"};
  for (std::size_t s = 0; s < series; ++s) catalog.series.push_back({"series." + std::to_string(s), "unit"});
  catalog.summaries = {{"war_by_end", "probability"}, {"peak_capability", "USD bn"}};
  catalog.event_kinds = {"war_started", "ceasefire"};
  return catalog;
}

// Behaves like an engine: every number comes from keyed streams of (seed, run), so a run
// is a pure function of its key, and runs differ in length of their event logs.
class RandomWalkSimulator final : public Simulator {
 public:
  explicit RandomWalkSimulator(std::size_t series = 5, std::size_t quarters = 30)
      : catalog_(make_catalog(series, quarters)) {}
  [[nodiscard]] const engine::OutputCatalog& catalog() const override { return catalog_; }
  void simulate(rng::MasterSeed seed, std::uint64_t run_index, engine::RunResult& out) const override {
    if (run_index == throw_at || run_index == throw_also_at) {
      throw std::runtime_error("capability went negative");
    }
    const std::size_t quarters = catalog_.quarter_count();
    out.series.assign(catalog_.series.size() * quarters, 0.0);
    out.events.clear();
    double peak = 0.0;
    bool war = false;
    // With a shared history every run follows run 0's draws until its own divergence
    // quarter, so early quarters repeat one value across all runs, later ones in stretches.
    rng::Stream branch({seed, run_index, rng::Purpose::WarOnset, rng::no_actor, 1});
    const double divergence = shared_history ? rng::uniform(branch, 0.0, 1.5 * static_cast<double>(quarters)) : -1.0;
    for (std::size_t s = 0; s < catalog_.series.size(); ++s) {
      rng::Stream stream({seed, run_index, rng::Purpose::Economy, static_cast<std::uint32_t>(s), 0});
      rng::Stream common({seed, 0, rng::Purpose::Economy, static_cast<std::uint32_t>(s), 0});
      double level = 10.0 * static_cast<double>(s + 1);
      for (std::size_t t = 0; t < quarters; ++t) {
        level *= rng::lognormal(static_cast<double>(t) < divergence ? common : stream, 1.0, 0.05);
        out.series[s * quarters + t] = level;
        peak = std::max(peak, level);
      }
    }
    rng::Stream onset({seed, run_index, rng::Purpose::WarOnset, rng::no_actor, 0});
    for (std::size_t t = 0; t < quarters; ++t) {
      if (!war && rng::bernoulli(onset, 0.02)) {
        war = true;
        out.events.push_back({.quarter = static_cast<std::uint32_t>(t), .kind = 0, .actor = 0, .other_actor = 1,
                              .value = rng::uniform(onset, 0.0, 1000.0)});
      }
    }
    out.summaries = {war ? 1.0 : 0.0, peak};
    if (run_index == nan_at) out.series[quarters + 3] = std::numeric_limits<double>::quiet_NaN();
  }
  std::uint64_t throw_at = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t throw_also_at = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t nan_at = std::numeric_limits<std::uint64_t>::max();
  bool shared_history = false;

 private:
  engine::OutputCatalog catalog_;
};

class RecordingSink final : public RunResultSink {
 public:
  void accept(const engine::RunResult& result) override {
    runs.push_back(result);
    if (stop_after.has_value() && runs.size() == *stop_after) stop->store(true);
  }
  void block_finished(std::uint64_t runs_accepted) override { blocks.push_back(runs_accepted); }
  std::vector<engine::RunResult> runs;
  std::vector<std::uint64_t> blocks;
  std::optional<std::size_t> stop_after;
  std::atomic<bool>* stop = nullptr;
};

bool same_bits(const std::vector<Distribution>& a, const std::vector<Distribution>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(Distribution)) == 0;
}

bool same_runs(const std::vector<engine::RunResult>& a, const std::vector<engine::RunResult>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].run_index != b[i].run_index || a[i].events != b[i].events) return false;
    if (std::memcmp(a[i].series.data(), b[i].series.data(), a[i].series.size() * sizeof(double)) != 0) return false;
    if (a[i].summaries != b[i].summaries) return false;
  }
  return true;
}

TEST(RunEnsemble, BitIdenticalForAnyThreadCountAndBlockSize) {
  for (const bool shared_history : {false, true}) {
    SCOPED_TRACE(shared_history ? "shared history" : "independent runs");
    RandomWalkSimulator simulator;
    simulator.shared_history = shared_history;
    const std::atomic<bool> never{false};
    // 1500 runs: past the sketch's exact phase, so the binned path is compared too.
    RecordingSink reference_sink;
    const EnsembleOutcome reference =
        run_ensemble(simulator, {.seed = rng::MasterSeed{11}, .runs = 1500, .threads = 1, .block_runs = 256},
                     reference_sink, nullptr, never);
    ASSERT_EQ(reference.runs_completed, 1500u);
    for (std::size_t i = 0; i < reference_sink.runs.size(); ++i) ASSERT_EQ(reference_sink.runs[i].run_index, i);
    for (const auto& [threads, block] :
         std::vector<std::pair<unsigned, std::uint64_t>>{{2, 256}, {4, 256}, {2, 7}, {4, 1000}}) {
      RecordingSink sink;
      const EnsembleOutcome outcome = run_ensemble(
          simulator, {.seed = rng::MasterSeed{11}, .runs = 1500, .threads = threads, .block_runs = block}, sink,
          nullptr, never);
      EXPECT_TRUE(same_bits(outcome.aggregates.series, reference.aggregates.series)) << threads << " " << block;
      EXPECT_TRUE(same_bits(outcome.aggregates.summaries, reference.aggregates.summaries)) << threads << " " << block;
      EXPECT_TRUE(same_runs(sink.runs, reference_sink.runs)) << threads << " " << block;
      EXPECT_FALSE(outcome.stopped);
    }
    // A different seed gives different numbers (the comparison above can fail).
    RecordingSink other_sink;
    const EnsembleOutcome other =
        run_ensemble(simulator, {.seed = rng::MasterSeed{12}, .runs = 1500, .threads = 2}, other_sink, nullptr, never);
    EXPECT_FALSE(same_bits(other.aggregates.series, reference.aggregates.series));
  }
}

// Up to 1024 runs the quantiles are exact: recompute everything from what the sink saw.
TEST(RunEnsemble, AggregatesMatchDirectComputation) {
  for (const bool shared_history : {false, true}) {
    SCOPED_TRACE(shared_history ? "shared history" : "independent runs");
    RandomWalkSimulator simulator(3, 8);
    simulator.shared_history = shared_history;
    const std::atomic<bool> never{false};
    RecordingSink sink;
    const EnsembleOutcome outcome =
        run_ensemble(simulator, {.seed = rng::MasterSeed{5}, .runs = 101, .threads = 2, .block_runs = 10}, sink,
                     nullptr, never);
    ASSERT_EQ(outcome.aggregates.runs, 101u);
    EXPECT_EQ(sink.blocks.back(), 101u);
    EXPECT_EQ(sink.blocks.size(), 11u);
    for (std::size_t s = 0; s < 3; ++s) {
      for (std::size_t t = 0; t < 8; ++t) {
        std::vector<double> values;
        for (const auto& run : sink.runs) values.push_back(run.at(s, t, 8));
        double mean = 0.0;
        for (const double v : values) mean += v / 101.0;
        double variance = 0.0;
        for (const double v : values) variance += (v - mean) * (v - mean) / 100.0;
        std::sort(values.begin(), values.end());
        const Distribution& d = outcome.aggregates.at(s, t);
        EXPECT_NEAR(d.mean, mean, 1e-12 * std::fabs(mean));
        // Where all runs still share their history the sd is 0; the reference's own rounding
        // then leaves about 1e-15 of the mean.
        EXPECT_NEAR(d.standard_deviation, std::sqrt(variance), 1e-9 * std::sqrt(variance) + 1e-14 * std::fabs(mean));
        EXPECT_EQ(d.q50, values[50]);  // (101 - 1) * 0.5 = 50: no interpolation
        EXPECT_EQ(d.q05, values[5]);
        EXPECT_EQ(d.q25, values[25]);
        EXPECT_EQ(d.q75, values[75]);
        EXPECT_EQ(d.q95, values[95]);
      }
    }
    double wars = 0.0;
    for (const auto& run : sink.runs) wars += run.summaries[0];
    EXPECT_NEAR(outcome.aggregates.summaries[0].mean, wars / 101.0, 1e-15);
  }
}

TEST(RunEnsemble, StopFinishesTheBlocksInFlight) {
  const RandomWalkSimulator simulator;
  std::atomic<bool> stop{false};
  RecordingSink sink;
  sink.stop_after = 30;  // while the second block of 16 is handed over, the third is simulated
  sink.stop = &stop;
  const EnsembleOutcome outcome =
      run_ensemble(simulator, {.seed = rng::MasterSeed{3}, .runs = 1000, .threads = 2, .block_runs = 16}, sink,
                   nullptr, stop);
  EXPECT_TRUE(outcome.stopped);
  EXPECT_EQ(outcome.runs_completed, 48u);
  EXPECT_EQ(outcome.aggregates.runs, 48u);
  EXPECT_EQ(sink.runs.size(), 48u);
  EXPECT_EQ(sink.blocks, (std::vector<std::uint64_t>{16, 32, 48}));

  RecordingSink untouched;
  const EnsembleOutcome none =
      run_ensemble(simulator, {.seed = rng::MasterSeed{3}, .runs = 1000, .threads = 2}, untouched, nullptr, stop);
  EXPECT_TRUE(none.stopped);
  EXPECT_EQ(none.runs_completed, 0u);
  EXPECT_TRUE(untouched.runs.empty());
  EXPECT_TRUE(std::isnan(none.aggregates.at(0, 0).mean));
}

TEST(RunEnsemble, FailingRunIsNamedWithItsSeed) {
  RandomWalkSimulator simulator;
  simulator.throw_at = 45;
  simulator.throw_also_at = 37;  // the lowest failing index is reported, whatever the timing
  const std::atomic<bool> never{false};
  RecordingSink sink;
  try {
    (void)run_ensemble(simulator, {.seed = rng::MasterSeed{99}, .runs = 100, .threads = 4, .block_runs = 16}, sink,
                       nullptr, never);
    FAIL() << "expected RunError";
  } catch (const RunError& error) {
    EXPECT_EQ(error.run_index(), 37u);
    EXPECT_EQ(static_cast<std::uint64_t>(error.master_seed()), 99u);
    EXPECT_STREQ(error.what(), "run 37 of the ensemble with seed 99 failed: capability went negative");
  }
  EXPECT_EQ(sink.runs.size(), 32u);  // the failing block is not handed on
}

TEST(RunEnsemble, NonFiniteOrMisshapenResultsAreRunErrors) {
  RandomWalkSimulator simulator(2, 6);
  simulator.nan_at = 3;
  const std::atomic<bool> never{false};
  RecordingSink sink;
  try {
    (void)run_ensemble(simulator, {.seed = rng::MasterSeed{1}, .runs = 10, .threads = 1}, sink, nullptr, never);
    FAIL() << "expected RunError";
  } catch (const RunError& error) {
    EXPECT_STREQ(error.what(), "run 3 of the ensemble with seed 1 failed: series 'series.1' at quarter 3 ('1994Q4') is nan");
  }

  class ShortSimulator final : public Simulator {
   public:
    [[nodiscard]] const engine::OutputCatalog& catalog() const override { return catalog_; }
    void simulate(rng::MasterSeed, std::uint64_t, engine::RunResult& out) const override {
      out.series.assign(4, 1.0);
      out.summaries.assign(2, 0.0);
    }
    engine::OutputCatalog catalog_ = make_catalog(2, 6);
  } short_simulator;
  EXPECT_THROW(
      (void)run_ensemble(short_simulator, {.seed = rng::MasterSeed{1}, .runs = 10, .threads = 1}, sink, nullptr, never),
      RunError);
}

TEST(RunEnsemble, ProgressCountsEveryRun) {
  class CountingObserver final : public ProgressObserver {
   public:
    void runs_finished(std::uint64_t done, std::uint64_t total) override {
      const std::lock_guard lock(mutex);
      ++calls;
      highest = std::max(highest, done);
      EXPECT_EQ(total, 300u);
    }
    std::mutex mutex;
    std::uint64_t calls = 0;
    std::uint64_t highest = 0;
  } observer;
  const RandomWalkSimulator simulator(1, 4);
  const std::atomic<bool> never{false};
  RecordingSink sink;
  (void)run_ensemble(simulator, {.seed = rng::MasterSeed{2}, .runs = 300, .threads = 2, .block_runs = 64}, sink,
                     &observer, never);
  EXPECT_EQ(observer.calls, 300u);
  EXPECT_EQ(observer.highest, 300u);
}

}  // namespace
}  // namespace arbiter::ensemble
