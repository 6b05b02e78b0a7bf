#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "arbiter/ensemble/simulator.hpp"
#include "arbiter/rng/stream.hpp"

namespace arbiter::cli {

/// What `arbiter run` asks for once its flags are parsed and its scenario is loaded.
struct RunSettings {
  std::filesystem::path out;             // results file to create (docs/results.md)
  bool force = false;                    // replace an existing `out` (and a stale `out`.partial)
  std::uint64_t runs = 1000;
  rng::MasterSeed seed{};
  unsigned threads = 0;                  // 0 = all cores
  std::string policy = "stop";           // the run-failure policy, recorded in the manifest
  std::filesystem::path scenario_path;   // as the user gave it
  std::string scenario_text;             // the file's bytes, for the manifest's SHA-256
  std::string scenario_name;
  bool json = false;                     // print the summary as JSON instead of a table
  std::vector<std::string> shown_series; // series in the summary; empty = the first 8
  std::uint64_t block_runs = 0;          // runs per committed block; 0 = the ensemble's default
};

/// Runs the ensemble into a new results file and prints a summary on `out`.
///
/// Checks `settings.out` first (exists without force: UsageError naming --force). Ctrl-C
/// (SIGINT) stops after the blocks in flight: the finished runs stay in the file, stderr
/// says so, and ExitRequest{130} is thrown; a second Ctrl-C kills at once, leaving a valid
/// `<out>.partial`. A progress bar is drawn on `err` only when it is a terminal. A failing
/// run marks the file `failed` and its RunError propagates. Returns the exit code (0).
int run_to_store(const ensemble::Simulator& simulator, const RunSettings& settings, std::FILE* out = stdout,
                 std::FILE* err = stderr);

}  // namespace arbiter::cli
