#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

// Runs the built CLI the way a user's shell does (a new process, its own stdout and stderr),
// for the end-to-end tests. POSIX only: posix_spawn, pipes and poll.
namespace arbiter::e2e {

/// A signal sent to the process: `after` this long past the previous one (or the start), and
/// not before `when` (checked every 20 ms) holds, when one is given.
struct TimedSignal {
  int number = 0;
  std::chrono::milliseconds after{0};
  std::function<bool()> when = {};
};

struct ProcessOptions {
  std::vector<std::string> argv = {};       // argv[0] is the program's path
  std::string working_directory = {};       // empty: the caller's
  std::chrono::milliseconds timeout{60'000};  // then SIGKILL, and timed_out is set
  std::vector<TimedSignal> signals = {};  // sent in order (for Ctrl-C tests)
};

struct ProcessResult {
  bool exited = false;    // ended through exit(); then exit_code is meaningful
  int exit_code = -1;
  int term_signal = 0;    // the signal that ended it, when !exited
  bool timed_out = false;
  std::string out;
  std::string err;
  std::chrono::duration<double> elapsed{};

  /// One line for failure messages: how it ended and its stderr.
  [[nodiscard]] std::string describe() const;
};

/// Starts the program, feeds it no input, collects both outputs until it ends.
/// Throws std::runtime_error when it cannot be started at all.
[[nodiscard]] ProcessResult run_process(const ProcessOptions& options);

/// Text an AddressSanitizer, LeakSanitizer or UBSan report would contain; empty when none.
[[nodiscard]] std::string sanitizer_report_in(const std::string& text);

}  // namespace arbiter::e2e
