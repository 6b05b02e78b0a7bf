#pragma once

#include <string>
#include <vector>

namespace arbiter::diagnostics {

/// Where in the user's input a problem is. Never a C++ source location.
struct InputLocation {
  std::string file = {};  // as the user named it
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
  friend bool operator==(const InputLocation&, const InputLocation&) = default;
};

struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  InputLocation location = {};
  std::string message = {};  // what is wrong, in the input's own terms
  std::string expected = {}; // what would have been right; empty when it says nothing useful
  std::string hint = {};     // how to fix it; empty rather than a platitude
  std::string code = {};     // stable id for tests and docs, e.g. "scenario.unknown-actor"
};

/// `FILE:LINE:COL: error: WHAT (expected WHAT) [code]` plus an indented hint line.
[[nodiscard]] std::string render(const Diagnostic& diagnostic);
[[nodiscard]] std::string render(const std::vector<Diagnostic>& diagnostics);
[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& diagnostics);

/// Edit distance, for "did you mean" hints.
[[nodiscard]] std::size_t edit_distance(const std::string& a, const std::string& b);
/// The candidate nearest to `wrong`, or empty when none is plausibly meant.
[[nodiscard]] std::string nearest(const std::string& wrong, const std::vector<std::string>& candidates);

}  // namespace arbiter::diagnostics
