#include "arbiter/ensemble/run_ensemble.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <exception>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

namespace arbiter::ensemble {
namespace {

constexpr std::uint64_t default_block_runs = 256;

// One pass without early exit, in integer operations the compiler vectorises: a value is
// infinite or NaN when its exponent bits are all ones, and adding one to the exponent
// field then carries into the sign bit.
bool all_finite(const std::vector<double>& values) {
  constexpr std::uint64_t exponent = 0x7FF0'0000'0000'0000;
  constexpr std::uint64_t exponent_one = 0x0010'0000'0000'0000;
  std::uint64_t carries = 0;
  for (const double value : values) carries |= (std::bit_cast<std::uint64_t>(value) & exponent) + exponent_one;
  return (carries >> 63) == 0;
}

// Why a run's result cannot be used, or nothing if it fits the catalog.
std::optional<std::string> check_result(const engine::RunResult& result, const engine::OutputCatalog& catalog) {
  const std::size_t expected_series = catalog.series.size() * catalog.quarter_count();
  if (result.series.size() != expected_series) {
    return fmt::format("it returned {} series values, but the catalog has {} series x {} quarters = {}",
                       result.series.size(), catalog.series.size(), catalog.quarter_count(), expected_series);
  }
  if (result.summaries.size() != catalog.summaries.size()) {
    return fmt::format("it returned {} summary values, but the catalog has {} summaries", result.summaries.size(),
                       catalog.summaries.size());
  }
  if (!all_finite(result.series)) {
    for (std::size_t i = 0; i < result.series.size(); ++i) {
      if (!std::isfinite(result.series[i])) {
        const std::size_t quarters = catalog.quarter_count();
        return fmt::format("series '{}' at quarter {} ('{}') is {}", catalog.series[i / quarters].name,
                           i % quarters, catalog.quarter_labels[i % quarters], result.series[i]);
      }
    }
  }
  for (std::size_t i = 0; i < result.summaries.size(); ++i) {
    if (!std::isfinite(result.summaries[i])) {
      return fmt::format("summary '{}' is {}", catalog.summaries[i].name, result.summaries[i]);
    }
  }
  return std::nullopt;
}

std::string describe(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "it threw an exception not derived from std::exception";
  }
}

}  // namespace

RunError::RunError(std::uint64_t run_index, rng::MasterSeed seed, const std::string& cause)
    : std::runtime_error(fmt::format("run {} of the ensemble with seed {} failed: {}", run_index,
                                     static_cast<std::uint64_t>(seed), cause)),
      run_index_(run_index),
      seed_(seed) {}

EnsembleOutcome run_ensemble(const Simulator& simulator, const EnsembleRequest& request, RunResultSink& sink,
                             ProgressObserver* progress, const std::atomic<bool>& stop_requested) {
  if (request.runs > QuantileSketch::max_count) {
    throw std::invalid_argument(
        fmt::format("an ensemble has at most {} runs, not {}", QuantileSketch::max_count, request.runs));
  }
  const engine::OutputCatalog& catalog = simulator.catalog();
  const std::uint64_t block_runs = request.block_runs == 0 ? default_block_runs : request.block_runs;
  const int threads = request.threads == 0 ? tbb::info::default_concurrency() : static_cast<int>(request.threads);
  tbb::task_arena arena(threads);

  Aggregator aggregator(catalog);
  // Reused across blocks, so each run's vectors keep their capacity.
  std::vector<engine::RunResult> results(static_cast<std::size_t>(std::min(block_runs, request.runs)));
  std::vector<std::exception_ptr> failures(results.size());
  std::vector<std::optional<std::string>> rejections(results.size());
  std::atomic<std::uint64_t> simulated{0};

  EnsembleOutcome outcome;
  while (outcome.runs_completed < request.runs) {
    if (stop_requested.load()) {
      outcome.stopped = true;
      break;
    }
    const std::uint64_t first_run = outcome.runs_completed;
    const auto size = static_cast<std::size_t>(std::min(block_runs, request.runs - first_run));
    const std::span<engine::RunResult> block(results.data(), size);

    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, size, 1), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          engine::RunResult& result = block[i];
          result.run_index = first_run + i;
          failures[i] = nullptr;
          rejections[i].reset();
          try {
            simulator.simulate(request.seed, result.run_index, result);
            rejections[i] = check_result(result, catalog);
          } catch (...) {
            failures[i] = std::current_exception();  // reported below, lowest run index first
          }
          if (progress != nullptr) progress->runs_finished(simulated.fetch_add(1) + 1, request.runs);
        }
      });
    });
    for (std::size_t i = 0; i < size; ++i) {
      if (failures[i]) throw RunError(first_run + i, request.seed, describe(failures[i]));
      if (rejections[i]) throw RunError(first_run + i, request.seed, *rejections[i]);
    }

    // Fold on the workers while this thread hands the same block to the sink: both only
    // read the results, and each keeps run-index order on its own.
    const std::span<const engine::RunResult> finished(block.data(), block.size());
    const std::size_t cells = aggregator.cell_count();
    const std::size_t cells_per_task = std::max<std::size_t>(64, cells / (4 * static_cast<std::size_t>(threads)));
    tbb::task_group folding;
    arena.execute([&] {
      folding.run([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells, cells_per_task),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                            aggregator.fold_cells(finished, range.begin(), range.end());
                          });
      });
    });
    try {
      aggregator.fold_summaries(finished);
      for (const engine::RunResult& result : finished) sink.accept(result);
      sink.block_finished(first_run + size);
    } catch (...) {
      arena.execute([&] { folding.wait(); });  // the folding tasks reference this frame
      throw;
    }
    arena.execute([&] { folding.wait(); });
    outcome.runs_completed = first_run + size;
  }
  outcome.aggregates = aggregator.result();
  return outcome;
}

}  // namespace arbiter::ensemble
