#include <CLI/CLI.hpp>
#include <fmt/core.h>

int main(int argc, char** argv) {
  CLI::App app{"arbiter: Monte Carlo simulation of conflict systems with outside powers"};
  app.set_version_flag("--version", ARBITER_VERSION);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
