#include "commands.hpp"

namespace arbiter::cli {

void add_check_command(CLI::App& app) {
  (void)app;  // registered once the command exists
}

}  // namespace arbiter::cli
