#include "arbiter/ensemble/run_ensemble.hpp"

#include <algorithm>
#include <array>
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
  // Two blocks in flight: one being simulated while the one before it is folded and handed
  // to the sink. Reused, so each run's vectors keep their capacity.
  struct Block {
    std::vector<engine::RunResult> results;
    std::vector<std::exception_ptr> failures;
    std::vector<std::optional<std::string>> rejections;
  };
  const auto block_capacity = static_cast<std::size_t>(std::min(block_runs, request.runs));
  std::array<Block, 2> blocks;
  for (Block& block : blocks) {
    block.results.resize(block_capacity);
    block.failures.resize(block_capacity);
    block.rejections.resize(block_capacity);
  }
  std::atomic<std::uint64_t> simulated{0};
  const auto block_size = [&](std::uint64_t first_run) {
    return static_cast<std::size_t>(std::min(block_runs, request.runs - first_run));
  };
  const auto simulate_block = [&](Block& block, std::uint64_t first_run, std::size_t size) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, size, 1), [&](const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i) {
        engine::RunResult& result = block.results[i];
        result.run_index = first_run + i;
        block.failures[i] = nullptr;
        block.rejections[i].reset();
        try {
          simulator.simulate(request.seed, result.run_index, result);
          block.rejections[i] = check_result(result, catalog);
        } catch (...) {
          block.failures[i] = std::current_exception();  // reported later, lowest run index first
        }
        if (progress != nullptr) progress->runs_finished(simulated.fetch_add(1) + 1, request.runs);
      }
    });
  };

  EnsembleOutcome outcome;
  if (request.runs > 0) {
    if (stop_requested.load()) {
      outcome.stopped = true;
    } else {
      arena.execute([&] { simulate_block(blocks[0], 0, block_size(0)); });
    }
  }
  std::size_t current = 0;
  while (outcome.runs_completed < request.runs && !outcome.stopped) {
    const std::uint64_t first_run = outcome.runs_completed;
    const std::size_t size = block_size(first_run);
    Block& block = blocks[current];
    for (std::size_t i = 0; i < size; ++i) {
      if (block.failures[i]) throw RunError(first_run + i, request.seed, describe(block.failures[i]));
      if (block.rejections[i]) throw RunError(first_run + i, request.seed, *block.rejections[i]);
    }

    // While this thread hands the block to the sink, the workers fold it and simulate the
    // next one. Folding and the sink only read the block, and each keeps run-index order.
    const std::uint64_t next_run = first_run + size;
    const bool simulate_next = next_run < request.runs && !stop_requested.load();
    const std::span<const engine::RunResult> finished(block.results.data(), size);
    const std::size_t cells = aggregator.cell_count();
    const std::size_t cells_per_task = std::max<std::size_t>(64, cells / (4 * static_cast<std::size_t>(threads)));
    tbb::task_group work;
    arena.execute([&] {
      work.run([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells, cells_per_task),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                            aggregator.fold_cells(finished, range.begin(), range.end());
                          });
      });
      if (simulate_next) work.run([&] { simulate_block(blocks[1 - current], next_run, block_size(next_run)); });
    });
    try {
      aggregator.fold_summaries(finished);
      for (const engine::RunResult& result : finished) sink.accept(result);
      sink.block_finished(next_run);
    } catch (...) {
      arena.execute([&] { work.wait(); });  // the tasks reference this frame
      throw;
    }
    arena.execute([&] { work.wait(); });
    outcome.runs_completed = next_run;
    // A stop request lets the blocks in flight finish: none is simulated in vain.
    if (!simulate_next && next_run < request.runs) outcome.stopped = true;
    current = 1 - current;
  }
  arena.execute([&] { outcome.aggregates = aggregator.result(); });
  return outcome;
}

}  // namespace arbiter::ensemble
