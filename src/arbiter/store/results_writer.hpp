#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "arbiter/engine/run_result.hpp"
#include "arbiter/ensemble/aggregates.hpp"
#include "arbiter/ensemble/simulator.hpp"
#include "arbiter/rng/stream.hpp"
#include "arbiter/store/results_file.hpp"

namespace arbiter::store {

/// What the manifest records about how an ensemble was made.
struct Provenance {
  std::string arbiter_version;
  std::string scenario_path;
  std::string scenario_text;  // hashed into the manifest (SHA-256), not stored
  std::string scenario_name;
  rng::MasterSeed seed{};
  std::uint64_t runs_requested = 0;
  unsigned threads = 0;
  std::string policy;
};

/// Writes an ensemble's results file (SQLite, docs/results.md) as the runs arrive.
///
/// The file is written as `<file>.partial` and renamed to `<file>` by finish(). Each block
/// of runs is one transaction, committed in block_finished(), so a crash or kill -9 leaves
/// a valid `<file>.partial` (plus SQLite's `-wal` file, which holds the last committed
/// blocks: keep the two together) whose manifest says `running` and whose runs_completed
/// counts the committed, complete runs. Memory does not grow with the number of runs.
///
/// Example:
///   ResultsWriter writer(out, provenance, simulator.catalog(), /*force=*/false);
///   auto outcome = ensemble::run_ensemble(simulator, request, writer, nullptr, stop);
///   writer.finish(outcome.aggregates, outcome.runs_completed,
///                 outcome.stopped ? RunStatus::interrupted : RunStatus::complete);
class ResultsWriter final : public ensemble::RunResultSink {
 public:
  /// Creates `<file>.partial` with the manifest (status `running`) and the catalog. Throws
  /// InputError naming the file and --force if `file` or `<file>.partial` exists and
  /// `force` is false; with `force` a stale `.partial` is removed and `file` is replaced
  /// only when finish() renames.
  ResultsWriter(const std::filesystem::path& file, const Provenance& provenance,
                const engine::OutputCatalog& catalog, bool force);
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;
  /// Without finish(): abandons the block in flight and closes, leaving `<file>.partial`
  /// with status `running`, exactly like a crash between two blocks.
  ~ResultsWriter() override;

  void accept(const engine::RunResult& result) override;
  void block_finished(std::uint64_t runs_accepted) override;
  /// Writes the aggregates and the final status and end time, closes the file and renames
  /// it to its final name. `status` must not be `running`.
  void finish(const ensemble::Aggregates& aggregates, std::uint64_t runs_completed, RunStatus status);

  /// Runs in the blocks committed so far.
  [[nodiscard]] std::uint64_t runs_committed() const noexcept { return runs_committed_; }
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }
  [[nodiscard]] std::filesystem::path partial_file() const;

 private:
  struct Connection;  // the SQLite handle and prepared statements, in results_writer.cpp
  std::filesystem::path file_;
  std::unique_ptr<Connection> connection_;
  std::uint64_t runs_committed_ = 0;
};

/// `<file>.partial`: where a results file is written until it is finished.
[[nodiscard]] std::filesystem::path partial_path(const std::filesystem::path& file);

}  // namespace arbiter::store
