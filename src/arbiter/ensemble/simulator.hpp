#pragma once

#include <cstdint>

#include "arbiter/engine/run_result.hpp"
#include "arbiter/rng/stream.hpp"

namespace arbiter::ensemble {

/// One Monte Carlo run of a fixed scenario. The ensemble calls simulate() from several
/// threads at once, so an implementation must keep no mutable state.
class Simulator {
 public:
  virtual ~Simulator() = default;
  /// Names of everything a run reports; fixed for the simulator's lifetime.
  [[nodiscard]] virtual const engine::OutputCatalog& catalog() const = 0;
  /// Fills `out` for one run. Must be a pure function of (seed, run_index): the ensemble's
  /// bit-identity across thread counts rests on it. `out.run_index` is set by the caller;
  /// `out` may hold a previous run's vectors, to be overwritten (their capacity is reused).
  virtual void simulate(rng::MasterSeed seed, std::uint64_t run_index, engine::RunResult& out) const = 0;
};

/// Receives every finished run, strictly in run-index order, always from one thread.
class RunResultSink {
 public:
  virtual ~RunResultSink() = default;
  virtual void accept(const engine::RunResult& result) = 0;
  /// Called after each block of runs has been accepted, with the number of runs accepted
  /// so far: a durable sink commits here, so a crash loses at most the block in flight.
  virtual void block_finished(std::uint64_t runs_accepted) { (void)runs_accepted; }
};

/// Told how many runs have been simulated; called from worker threads, so it must be
/// thread-safe and cheap (it runs once per run).
class ProgressObserver {
 public:
  virtual ~ProgressObserver() = default;
  virtual void runs_finished(std::uint64_t done, std::uint64_t total) = 0;
};

}  // namespace arbiter::ensemble
