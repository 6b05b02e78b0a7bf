// End-to-end tests of the `arbiter` executable: exit codes, messages, determinism across
// thread counts, Ctrl-C, and the absence of terminal-only output when stderr is a pipe.
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "process.hpp"

namespace {

namespace fs = std::filesystem;
using arbiter::e2e::ProcessResult;
using namespace std::chrono_literals;

const fs::path source_dir{ARBITER_SOURCE_DIR};
const fs::path example = source_dir / "examples" / "two_rivals.yaml";
const fs::path invalid_dir = source_dir / "tests" / "scenarios" / "invalid";

// Manifest fields that legitimately differ between two runs of the same ensemble.
const std::vector<std::string> run_specific_fields{"started_utc", "finished_utc", "host", "threads"};

/// A fresh, empty folder for the current test.
fs::path work_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(ARBITER_TEST_WORK_DIR) / (std::string(info->test_suite_name()) + "." + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

ProcessResult arbiter(std::vector<std::string> args, const fs::path& cwd = {},
                      std::chrono::milliseconds timeout = 60s) {
  args.insert(args.begin(), ARBITER_EXECUTABLE);
  ProcessResult result = arbiter::e2e::run_process({.argv = args, .working_directory = cwd.string(), .timeout = timeout});
  // Nothing a user runs may crash or trip a sanitizer, and with stderr a pipe (as here) the
  // progress bar and its terminal escapes must stay off.
  EXPECT_TRUE(result.exited) << result.describe();
  EXPECT_EQ(arbiter::e2e::sanitizer_report_in(result.err), "") << result.describe();
  EXPECT_EQ(result.err.find('\r'), std::string::npos) << "progress output on a non-terminal:\n" << result.err;
  EXPECT_EQ(result.err.find("\x1b["), std::string::npos) << "terminal escapes on a non-terminal:\n" << result.err;
  return result;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> file_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// manifest.csv as key -> value (the value column as written, quotes included).
std::map<std::string, std::string> manifest_rows(const fs::path& csv) {
  std::map<std::string, std::string> rows;
  std::istringstream lines(read_file(csv));
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    const auto comma = line.find(',');
    if (comma != std::string::npos) rows[line.substr(0, comma)] = line.substr(comma + 1);
  }
  return rows;
}

/// Runs the example twice (one thread, two threads) and checks that the CSV and JSON exports
/// agree byte for byte, except for the manifest fields that describe the run itself.
void expect_same_results_on_one_and_two_threads(const std::vector<std::string>& extra_flags) {
  const fs::path dir = work_dir();
  std::map<int, fs::path> results;
  for (const int threads : {1, 2}) {
    const fs::path out = dir / ("threads" + std::to_string(threads) + ".sqlite");
    std::vector<std::string> args{"run",     example.string(), "--runs",  "300", "--seed", "11",
                                  "--threads", std::to_string(threads), "--out", out.string()};
    args.insert(args.end(), extra_flags.begin(), extra_flags.end());
    const ProcessResult run = arbiter(args, dir);
    ASSERT_EQ(run.exit_code, 0) << run.describe();
    ASSERT_TRUE(fs::exists(out));
    results[threads] = out;
  }

  // CSV: the same set of files, each identical byte for byte, manifest aside.
  const fs::path csv1 = dir / "csv1";
  const fs::path csv2 = dir / "csv2";
  for (const auto& [threads, csv] : {std::pair{1, csv1}, std::pair{2, csv2}}) {
    const ProcessResult exported = arbiter({"export", results[threads].string(), "--csv", csv.string()}, dir);
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
  }
  const std::vector<std::string> names = file_names(csv1);
  ASSERT_EQ(names, file_names(csv2));
  ASSERT_GE(names.size(), 9u);
  ASSERT_NE(std::find(names.begin(), names.end(), "manifest.csv"), names.end());
  for (const auto& name : names) {
    if (name == "manifest.csv") continue;
    const std::string a = read_file(csv1 / name);
    const std::string b = read_file(csv2 / name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_TRUE(a == b) << name << " differs between --threads 1 and --threads 2";
  }
  auto manifest1 = manifest_rows(csv1 / "manifest.csv");
  auto manifest2 = manifest_rows(csv2 / "manifest.csv");
  EXPECT_EQ(manifest1["threads"], "1");  // the two runs really did use different thread counts
  EXPECT_EQ(manifest2["threads"], "2");
  EXPECT_EQ(manifest1["runs_completed"], "300");
  EXPECT_EQ(manifest1["status"], "complete");
  for (const auto& field : run_specific_fields) {
    EXPECT_EQ(manifest1.count(field), 1u) << field;
    manifest1.erase(field);
    manifest2.erase(field);
  }
  EXPECT_EQ(manifest1, manifest2);

  // JSON: identical once the run-specific manifest values are blanked out.
  const std::regex run_specific(R"re(("(?:started_utc|finished_utc|host)"\s*:\s*)("(?:[^"\\]|\\.)*"|null))re");
  const std::regex threads(R"re(("threads"\s*:\s*)\d+)re");
  std::vector<std::string> documents;
  for (const int n : {1, 2}) {
    const ProcessResult exported = arbiter({"export", results[n].string(), "--json"}, dir);
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
    const auto parsed = nlohmann::json::parse(exported.out);  // throws, failing the test, if not JSON
    EXPECT_EQ(parsed.at("manifest").at("threads"), n);
    EXPECT_EQ(parsed.at("manifest").at("runs_completed"), 300);
    std::string blanked = std::regex_replace(exported.out, run_specific, "$1\"-\"");
    documents.push_back(std::regex_replace(blanked, threads, "$1 0"));
  }
  EXPECT_TRUE(documents[0] == documents[1]) << "JSON exports differ between --threads 1 and --threads 2";
}

// ---- arbiter check -------------------------------------------------------------------------

TEST(Check, ExampleIsValid) {
  const ProcessResult result = arbiter({"check", example.string()});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_TRUE(contains(result.out, "two_rivals.yaml: ok")) << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(Check, WithoutFileIsUsageError) {
  const ProcessResult result = arbiter({"check"});
  EXPECT_EQ(result.exit_code, 2) << result.describe();
  EXPECT_TRUE(contains(result.err, "files")) << result.err;
}

TEST(Check, MissingFileIsNamed) {
  const fs::path missing = work_dir() / "no_such_scenario.yaml";
  const ProcessResult result = arbiter({"check", missing.string()});
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_TRUE(contains(result.err, missing.string() + ": error: no such file")) << result.err;
}

TEST(Check, SeveralFilesOneBadReportsBoth) {
  const fs::path bad = invalid_dir / "unknown_key_top.yaml";
  const ProcessResult result = arbiter({"check", example.string(), bad.string()});
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_TRUE(contains(result.out, example.string() + ": ok")) << result.out;
  EXPECT_TRUE(contains(result.err, bad.string() + ":12:1: error: unknown key 'rivalires'")) << result.err;
  EXPECT_TRUE(contains(result.err, bad.string() + ": 1 problem found")) << result.err;
}

TEST(Check, SeveralBadFilesAreAllReported) {
  const fs::path first = invalid_dir / "end_before_start.yaml";
  const fs::path second = invalid_dir / "self_trade.yaml";
  // The bad file first: checking must go on to the files after it.
  const ProcessResult result = arbiter({"check", first.string(), example.string(), second.string()});
  EXPECT_EQ(result.exit_code, 1) << result.describe();
  EXPECT_TRUE(contains(result.err, first.string() + ":5:28: error:")) << result.err;
  EXPECT_TRUE(contains(result.err, second.string() + ":9:34: error:")) << result.err;
  EXPECT_TRUE(contains(result.out, example.string() + ": ok")) << result.out;
}

// ---- arbiter run: usage errors -----------------------------------------------------------------

class RunUsage : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = work_dir(); }

  /// Expects exit 2 with `flag` named on stderr, and no results file left behind.
  ProcessResult expect_usage_error(std::vector<std::string> flags, const std::string& flag) {
    std::vector<std::string> args{"run", example.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    ProcessResult result = arbiter(args, dir_);
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_TRUE(contains(result.err, flag)) << "stderr does not name " << flag << ":\n" << result.err;
    EXPECT_FALSE(fs::exists(dir_ / "two_rivals.results.sqlite"));
    EXPECT_FALSE(contains(result.out, "runs of")) << result.out;
    return result;
  }

  fs::path dir_;
};

TEST_F(RunUsage, ZeroRuns) { expect_usage_error({"--runs", "0"}, "--runs"); }

TEST_F(RunUsage, RunsNotANumber) { expect_usage_error({"--runs", "many"}, "--runs"); }

TEST_F(RunUsage, NegativeThreads) { expect_usage_error({"--threads", "-1"}, "--threads"); }

// A seed that is not what the user typed would make a run impossible to reproduce from its
// command line, so a negative or too large seed is refused rather than wrapped or clamped.
TEST_F(RunUsage, NegativeSeed) { expect_usage_error({"--seed", "-1"}, "--seed"); }

TEST_F(RunUsage, SeedBeyond64Bits) { expect_usage_error({"--seed", "18446744073709551616"}, "--seed"); }

TEST_F(RunUsage, UnknownPolicyListsThePolicies) {
  const ProcessResult result = expect_usage_error({"--policy", "nosuch"}, "--policy");
  EXPECT_TRUE(contains(result.err, "nosuch")) << result.err;
  EXPECT_TRUE(contains(result.err, "no_sales_to_challenger")) << result.err;
  EXPECT_TRUE(contains(result.err, "no_backer")) << result.err;
}

TEST_F(RunUsage, ExistingOutputNeedsForce) {
  const fs::path out = dir_ / "existing.sqlite";
  write_file(out, "not to be overwritten");
  expect_usage_error({"--runs", "2", "--out", out.string()}, "--force");
  EXPECT_EQ(read_file(out), "not to be overwritten");
}

// Found only when the finished file is moved into place, these would waste a whole ensemble
// and leave a stale .partial file behind; they must be refused before any run starts.
TEST_F(RunUsage, OutputIsADirectoryEvenWithForce) {
  fs::create_directory(dir_ / "folder");
  expect_usage_error({"--runs", "2", "--out", (dir_ / "folder").string(), "--force"}, "--out");
  EXPECT_FALSE(fs::exists(dir_ / "folder.partial"));
  EXPECT_TRUE(fs::is_empty(dir_ / "folder"));
}

TEST_F(RunUsage, OutputFolderMissing) {
  expect_usage_error({"--runs", "2", "--out", (dir_ / "missing" / "r.sqlite").string()}, "--out");
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
}

TEST_F(RunUsage, ForceReplacesExistingOutput) {
  const fs::path out = dir_ / "existing.sqlite";
  write_file(out, "to be replaced");
  const ProcessResult result = arbiter({"run", example.string(), "--runs", "2", "--seed", "1", "--threads", "1",
                                        "--out", out.string(), "--force"},
                                       dir_);
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  const ProcessResult exported = arbiter({"export", out.string(), "--json"}, dir_);
  ASSERT_EQ(exported.exit_code, 0) << exported.describe();
  EXPECT_EQ(nlohmann::json::parse(exported.out).at("manifest").at("runs_completed"), 2);
}

// ---- determinism: the acceptance test --------------------------------------------------------

TEST(Determinism, BaselineSameOnOneAndTwoThreads) { expect_same_results_on_one_and_two_threads({}); }

TEST(Determinism, PolicySameOnOneAndTwoThreads) {
  expect_same_results_on_one_and_two_threads({"--policy", "no_sales_to_challenger"});
}

// ---- Ctrl-C --------------------------------------------------------------------------------

TEST(Interrupt, CtrlCKeepsAValidPartialResult) {
  const fs::path dir = work_dir();
  const fs::path out = dir / "long.sqlite";
  const fs::path partial = out.string() + ".partial";
  const ProcessResult run = arbiter::e2e::run_process(
      {.argv = {ARBITER_EXECUTABLE, "run", example.string(), "--runs", "200000", "--seed", "5", "--threads", "2",
                "--out", out.string()},
       .working_directory = dir.string(),
       .timeout = 60s,
       // Ctrl-C only once the run has begun writing (its handler is installed then), so that a
       // slow start on a loaded machine cannot turn the test into one of the default action.
       .signals = {{.number = SIGINT, .after = 1000ms, .when = [&] { return fs::exists(partial); }}}});
  ASSERT_TRUE(run.exited) << run.describe();
  EXPECT_EQ(run.exit_code, 130) << run.describe();
  EXPECT_EQ(arbiter::e2e::sanitizer_report_in(run.err), "");
  EXPECT_TRUE(contains(run.err, "stopping after the runs in progress")) << run.err;
  EXPECT_TRUE(contains(run.err, "interrupted after")) << run.err;
  EXPECT_TRUE(contains(run.err, out.string())) << "the message does not say where the results are:\n" << run.err;
  ASSERT_TRUE(fs::exists(out)) << run.describe();
  EXPECT_FALSE(fs::exists(partial)) << "the partial file was left behind";

  const ProcessResult exported = arbiter({"export", out.string(), "--json"}, dir);
  ASSERT_EQ(exported.exit_code, 0) << exported.describe();
  const auto document = nlohmann::json::parse(exported.out);
  const auto& manifest = document.at("manifest");
  EXPECT_EQ(manifest.at("status"), "interrupted");
  EXPECT_EQ(manifest.at("runs_requested"), 200000);
  const auto completed = manifest.at("runs_completed").get<std::int64_t>();
  EXPECT_GT(completed, 0);
  EXPECT_LT(completed, 200000);
  EXPECT_FALSE(manifest.at("finished_utc").is_null());

  const ProcessResult csv = arbiter({"export", out.string(), "--csv", (dir / "csv").string()}, dir);
  ASSERT_EQ(csv.exit_code, 0) << csv.describe();
  EXPECT_EQ(manifest_rows(dir / "csv" / "manifest.csv")["status"], "interrupted");
}

// A second Ctrl-C ends the process at once. What it leaves is the crash case of
// docs/results.md: OUT.partial, a valid file whose manifest says `running` and whose
// runs_completed counts exactly the runs it holds.
TEST(Interrupt, SecondCtrlCQuitsAndLeavesAConsistentPartialFile) {
  const fs::path dir = work_dir();
  const fs::path out = dir / "killed.sqlite";
  const fs::path partial = out.string() + ".partial";
  // The flagship's runs are slow enough that the first Ctrl-C almost always lands inside a
  // block of runs, where the second one finds the process still working. When it lands in
  // the short commit between two blocks, the process may finish cleanly before the second
  // arrives: that is the first test's case, so try again (at most three times).
  const fs::path karabakh = source_dir / "scenarios" / "karabakh" / "karabakh.yaml";
  ProcessResult run;
  for (int attempt = 0; attempt < 3; ++attempt) {
    fs::remove(out);
    fs::remove(partial);
    run = arbiter::e2e::run_process(
        {.argv = {ARBITER_EXECUTABLE, "run", karabakh.string(), "--runs", "200000", "--seed", "5", "--threads", "2",
                  "--out", out.string()},
         .working_directory = dir.string(),
         .timeout = 60s,
         .signals = {{.number = SIGINT, .after = 1500ms, .when = [&] { return fs::exists(partial); }},
                     {.number = SIGINT, .after = 1ms}}});
    if (!run.exited) break;
  }
  ASSERT_FALSE(run.exited) << run.describe();
  EXPECT_EQ(run.term_signal, SIGINT) << run.describe();
  EXPECT_FALSE(fs::exists(out));
  ASSERT_TRUE(fs::exists(partial));

  const ProcessResult csv = arbiter({"export", partial.string(), "--csv", (dir / "csv").string()}, dir);
  ASSERT_EQ(csv.exit_code, 0) << csv.describe();
  auto manifest = manifest_rows(dir / "csv" / "manifest.csv");
  EXPECT_EQ(manifest["status"], "running");
  std::istringstream runs(read_file(dir / "csv" / "runs.csv"));
  std::string line;
  std::getline(runs, line);  // header
  std::int64_t rows = 0;
  std::int64_t expected_run = 0;
  while (std::getline(runs, line)) {
    EXPECT_EQ(line.substr(0, line.find(',')), std::to_string(expected_run++)) << "runs are not 0..n-1";
    ++rows;
  }
  EXPECT_EQ(std::to_string(rows), manifest["runs_completed"]);

  // The leftover blocks a new run into the same place unless --force is given.
  const ProcessResult again = arbiter({"run", example.string(), "--runs", "2", "--out", out.string()}, dir);
  EXPECT_EQ(again.exit_code, 2) << again.describe();
  EXPECT_TRUE(contains(again.err, partial.string()) && contains(again.err, "--force")) << again.err;
}

// ---- output to a pipe ------------------------------------------------------------------------

TEST(Output, NoProgressBarWhenStderrIsAPipe) {
  const fs::path dir = work_dir();
  // Long enough for several progress redraws (every 0.1 s) had stderr been a terminal.
  const ProcessResult run = arbiter({"run", example.string(), "--runs", "60", "--seed", "3", "--threads", "1",
                                     "--out", (dir / "r.sqlite").string()},
                                    dir);
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.err, "");  // arbiter() has also checked for \r and escapes
  EXPECT_TRUE(contains(run.out, "60 runs of")) << run.out;
}

}  // namespace
