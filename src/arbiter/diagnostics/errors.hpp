#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "arbiter/diagnostics/diagnostic.hpp"

namespace arbiter {

/// The user's input is wrong; carries every problem found, not just the first.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<diagnostics::Diagnostic> diagnostics)
      : std::runtime_error(diagnostics::render(diagnostics)), diagnostics_(std::move(diagnostics)) {}
  [[nodiscard]] const std::vector<diagnostics::Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<diagnostics::Diagnostic> diagnostics_;
};

/// A bug in arbiter itself, never the user's fault.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Fails loudly on a broken invariant, naming our source line. The builtins stand in for
/// std::source_location, which clang 14 cannot use with libstdc++ 12.
inline void check_invariant(bool holds, std::string_view what, const char* file = __builtin_FILE(),
                            int line = __builtin_LINE()) {
  if (!holds) throw InternalError(fmt::format("{}:{}: invariant violated: {}", file, line, what));
}

}  // namespace arbiter
