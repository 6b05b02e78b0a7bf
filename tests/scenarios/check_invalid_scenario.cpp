// Runs `arbiter check FILE` on one broken scenario and compares the outcome with what the
// file declares in its leading comments:
//
//   # expect: LINE:COL CODE            a diagnostic FILE:LINE:COL: error: ... [CODE]
//   # expect: OTHER:LINE:COL CODE      the same in another file, named relative to FILE's folder
//   # expect-stderr: TEXT              TEXT appears somewhere in stderr (hints, counts)
//   # expect-count: N                  exactly N error lines (default: the number of `expect:`)
//
// A file that cannot hold comments (an empty one) puts them in FILE.expect beside it.
// Every run must also end by exit(1) within the time limit, without a sanitizer report
// and without printing the same diagnostic twice.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "process.hpp"

namespace {

constexpr std::chrono::milliseconds time_limit{2000};

struct Expected {
  std::string location;  // rendered prefix: PATH:LINE:COL
  std::string code;
};

struct Expectations {
  std::vector<Expected> diagnostics;
  std::vector<std::string> stderr_texts;
  std::optional<std::size_t> count;
  std::vector<std::string> problems;  // malformed expectation lines
};

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

bool is_number(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Reads the `#` lines at the top of `text` (the first non-comment line ends them).
void read_expectations(std::string text, const std::filesystem::path& scenario, Expectations& into) {
  if (starts_with(text, "\xEF\xBB\xBF")) text.erase(0, 3);  // a UTF-8 byte-order mark
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!starts_with(line, "#")) break;
    const std::string body = trim(line.substr(1));
    if (starts_with(body, "expect:")) {
      std::istringstream words(body.substr(7));
      std::string where;
      std::string code;
      std::string extra;
      words >> where >> code;
      if (where.empty() || code.empty() || (words >> extra)) {
        into.problems.push_back("malformed: " + line);
        continue;
      }
      // LINE:COL or OTHER_FILE:LINE:COL
      const auto last = where.rfind(':');
      const auto middle = last == std::string::npos ? std::string::npos : where.rfind(':', last - 1);
      const std::string column = last == std::string::npos ? "" : where.substr(last + 1);
      const std::string row = where.substr(middle == std::string::npos ? 0 : middle + 1,
                                           last - (middle == std::string::npos ? 0 : middle + 1));
      if (!is_number(row) || !is_number(column)) {
        into.problems.push_back("malformed location: " + line);
        continue;
      }
      std::string path = scenario.string();
      if (middle != std::string::npos) {
        path = (scenario.parent_path() / where.substr(0, middle)).lexically_normal().string();
      }
      into.diagnostics.push_back({fmt::format("{}:{}:{}", path, row, column), code});
    } else if (starts_with(body, "expect-stderr:")) {
      into.stderr_texts.push_back(trim(body.substr(14)));
    } else if (starts_with(body, "expect-count:")) {
      const std::string n = trim(body.substr(13));
      if (!is_number(n)) {
        into.problems.push_back("malformed count: " + line);
      } else {
        into.count = static_cast<std::size_t>(std::stoul(n));
      }
    } else if (starts_with(body, "expect")) {
      into.problems.push_back("unknown expectation: " + line);
    }
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: check_invalid_scenario ARBITER SCENARIO\n";
    return 2;
  }
  const std::string arbiter = argv[1];
  const std::filesystem::path scenario = argv[2];

  Expectations expected;
  read_expectations(read_file(scenario), scenario, expected);
  if (std::filesystem::path sidecar = scenario.string() + ".expect"; std::filesystem::exists(sidecar)) {
    read_expectations(read_file(sidecar), scenario, expected);
  }
  std::vector<std::string> failures = expected.problems;
  if (expected.diagnostics.empty()) failures.push_back("the file declares no `# expect: LINE:COL CODE` line");

  const arbiter::e2e::ProcessResult result =
      arbiter::e2e::run_process({.argv = {arbiter, "check", scenario.string()}, .timeout = time_limit});

  if (result.timed_out) {
    failures.push_back(fmt::format("did not finish within {} ms", time_limit.count()));
  } else if (!result.exited) {
    failures.push_back(fmt::format("crashed: killed by signal {}", result.term_signal));
  } else if (result.exit_code != 1) {
    failures.push_back(fmt::format("exit code {}, expected 1", result.exit_code));
  }
  if (result.elapsed >= time_limit) {
    failures.push_back(fmt::format("took {:.3f} s, more than {} ms", result.elapsed.count(), time_limit.count()));
  }
  if (const std::string report = arbiter::e2e::sanitizer_report_in(result.err); !report.empty()) {
    failures.push_back("sanitizer report in stderr: " + report);
  }

  const std::vector<std::string> lines = split_lines(result.err);
  std::vector<std::string> errors;
  std::copy_if(lines.begin(), lines.end(), std::back_inserter(errors),
               [](const std::string& line) { return line.find(": error: ") != std::string::npos; });
  for (const auto& want : expected.diagnostics) {
    const std::string prefix = want.location + ": error: ";
    const std::string suffix = "[" + want.code + "]";
    const bool found = std::any_of(errors.begin(), errors.end(), [&](const std::string& line) {
      return starts_with(line, prefix) && line.size() >= suffix.size() &&
             line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0;
    });
    if (!found) failures.push_back(fmt::format("missing diagnostic {}: error: ... {}", want.location, suffix));
  }
  for (const auto& text : expected.stderr_texts) {
    if (result.err.find(text) == std::string::npos) failures.push_back(fmt::format("stderr lacks '{}'", text));
  }
  const std::size_t want_count = expected.count.value_or(expected.diagnostics.size());
  if (errors.size() != want_count) {
    failures.push_back(fmt::format("{} error lines, expected {}", errors.size(), want_count));
  }
  std::set<std::string> seen;
  for (const auto& line : errors) {
    if (!seen.insert(line).second) failures.push_back("reported twice: " + line);
  }

  if (failures.empty()) {
    fmt::print("ok: {} ({} diagnostics, {:.3f} s)\n", scenario.filename().string(), errors.size(),
               result.elapsed.count());
    return EXIT_SUCCESS;
  }
  fmt::print(stderr, "FAILED: arbiter check {}\n", scenario.string());
  for (const auto& failure : failures) fmt::print(stderr, "  - {}\n", failure);
  fmt::print(stderr, "{}\n", result.describe());
  return EXIT_FAILURE;
}
