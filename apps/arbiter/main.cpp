#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "arbiter/diagnostics/errors.hpp"
#include "commands.hpp"

namespace cli = arbiter::cli;

int main(int argc, char** argv) {
  CLI::App app{"arbiter: Monte Carlo simulation of conflict systems in which outside powers arm, ally with and "
               "mediate between rivals"};
  app.set_version_flag("--version", ARBITER_VERSION);
  app.require_subcommand(1);
  cli::add_check_command(app);
  cli::add_run_command(app);
  cli::add_export_command(app);
  cli::add_negotiate_command(app);
  cli::add_data_command(app);
  cli::add_schema_command(app);
  cli::add_backtest_command(app);
  try {
    app.parse(argc, argv);
    return cli::exit_code::success;
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? cli::exit_code::success : cli::exit_code::bad_usage;
  } catch (const cli::ExitRequest& request) {
    return request.code;
  } catch (const cli::UsageError& error) {
    fmt::print(stderr, "arbiter: error: {}\n", error.what());
    return cli::exit_code::bad_usage;
  } catch (const arbiter::InputError& error) {
    fmt::print(stderr, "{}\n", error.what());
    return cli::exit_code::invalid_input;
  } catch (const arbiter::InternalError& error) {
    fmt::print(stderr, "arbiter: internal error, please report: {}\n", error.what());
    return cli::exit_code::internal_error;
  } catch (const std::exception& error) {
    fmt::print(stderr, "arbiter: error: {}\n", error.what());
    return cli::exit_code::invalid_input;
  }
}
