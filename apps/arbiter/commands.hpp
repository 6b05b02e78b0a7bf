#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

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

/// CLI11 would wrap "-1" to 2^64-1 and clamp larger numbers to it: a mistyped seed must be
/// refused, not silently replaced by another one.
inline CLI::Validator seed_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
          return fmt::format("'{}' is not a whole number from 0 to {}", text, std::numeric_limits<std::uint64_t>::max());
        }
        return {};
      },
      "UINT64");
}

void add_check_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_negotiate_command(CLI::App& app);
void add_data_command(CLI::App& app);
void add_schema_command(CLI::App& app);
void add_backtest_command(CLI::App& app);

}  // namespace arbiter::cli
