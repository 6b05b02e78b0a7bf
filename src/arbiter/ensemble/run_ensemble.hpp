#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "arbiter/ensemble/aggregates.hpp"
#include "arbiter/ensemble/simulator.hpp"
#include "arbiter/rng/stream.hpp"

namespace arbiter::ensemble {

struct EnsembleRequest {
  rng::MasterSeed seed{};
  std::uint64_t runs = 0;
  unsigned threads = 0;          // worker threads including the caller's; 0 = all cores
  std::uint64_t block_runs = 0;  // runs simulated between two hand-overs to the sink; 0 = 256
};

struct EnsembleOutcome {
  Aggregates aggregates;
  std::uint64_t runs_completed = 0;  // all of them folded and handed to the sink
  bool stopped = false;              // a stop request ended the ensemble early
};

/// A run failed: carries what is needed to reproduce it alone.
class RunError : public std::runtime_error {
 public:
  RunError(std::uint64_t run_index, rng::MasterSeed seed, const std::string& cause);
  [[nodiscard]] std::uint64_t run_index() const noexcept { return run_index_; }
  [[nodiscard]] rng::MasterSeed master_seed() const noexcept { return seed_; }

 private:
  std::uint64_t run_index_;
  rng::MasterSeed seed_;
};

/// Runs `request.runs` Monte Carlo runs of `simulator`, folds them into aggregates and hands
/// each to `sink`.
///
/// Runs are simulated in parallel in blocks of `block_runs`; each finished block is then
/// folded (in parallel across cells) and handed to the sink, both strictly in run-index
/// order, so the aggregates and the sink's input are bit-identical for any thread count and
/// any block size. The next block is simulated meanwhile. Memory grows with the block size
/// and the catalog, never with `runs`.
///
/// `stop_requested` is read before each block is started: once it is set, no further block
/// starts, the ensemble returns after the blocks in flight (at most the one being handed
/// over and the one being simulated), with `stopped` set and every completed run handed to
/// the sink.
/// `progress`, if not null, is told about each simulated run from the worker threads.
///
/// Throws RunError, naming the lowest failing run index of the block and the seed, if
/// simulate() throws or returns a result that does not fit the catalog or holds a value
/// that is not finite; the failing block is neither folded nor handed to the sink.
///
/// Example:
///   std::atomic<bool> stop{false};
///   EnsembleOutcome outcome = run_ensemble(simulator, {.seed = rng::MasterSeed{42}, .runs = 10000},
///                                          store, nullptr, stop);
[[nodiscard]] EnsembleOutcome run_ensemble(const Simulator& simulator, const EnsembleRequest& request,
                                           RunResultSink& sink, ProgressObserver* progress,
                                           const std::atomic<bool>& stop_requested);

}  // namespace arbiter::ensemble
