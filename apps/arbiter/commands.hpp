#pragma once

#include <CLI/CLI.hpp>

// Each subcommand lives in its own file and registers itself here. A command's callback
// throws on failure; main() translates exceptions into messages and exit codes.
namespace arbiter::cli {

namespace exit_code {
inline constexpr int success = 0;
inline constexpr int invalid_input = 1;  // a file the user gave is wrong (check, run, ...)
inline constexpr int bad_usage = 2;      // a flag or argument is wrong
inline constexpr int internal_error = 70;
inline constexpr int interrupted = 130;  // Ctrl-C: what was finished is kept
}  // namespace exit_code

/// Thrown by a command to end with a given exit code after it has printed what it must.
struct ExitRequest {
  int code;
};

/// A flag's value is wrong in a way CLI11's validators cannot see.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void add_check_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_negotiate_command(CLI::App& app);
void add_data_command(CLI::App& app);
void add_schema_command(CLI::App& app);
void add_backtest_command(CLI::App& app);

}  // namespace arbiter::cli
