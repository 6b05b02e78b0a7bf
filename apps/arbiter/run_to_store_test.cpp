#include "run_to_store.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "arbiter/ensemble/run_ensemble.hpp"
#include "arbiter/rng/distributions.hpp"
#include "arbiter/store/results_file.hpp"
#include "commands.hpp"

namespace arbiter::cli {
namespace {

namespace fs = std::filesystem;

// A fake engine: two series over eight quarters and one summary, from keyed streams.
class FakeSimulator final : public ensemble::Simulator {
 public:
  FakeSimulator() {
    catalog_.quarter_labels = {"2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1", "2021Q2", "2021Q3", "2021Q4"};
    catalog_.actors = {"borduria", "syldavia"};
    catalog_.series = {{"capability.borduria", "USD bn"}, {"capability.syldavia", "USD bn"}};
    catalog_.summaries = {{"war_by_end", "probability"}};
    catalog_.event_kinds = {"war_started"};
  }
  [[nodiscard]] const engine::OutputCatalog& catalog() const override { return catalog_; }
  void simulate(rng::MasterSeed seed, std::uint64_t run_index, engine::RunResult& out) const override {
    if (run_index == interrupt_at) ::raise(SIGINT);
    if (run_index == fail_at) throw std::runtime_error("arsenal went negative");
    rng::Stream stream({seed, run_index, rng::Purpose::Economy, rng::no_actor, 0});
    out.series.resize(16);
    for (double& value : out.series) value = rng::lognormal(stream, 10.0, 0.3);
    out.summaries = {rng::bernoulli(stream, 0.25) ? 1.0 : 0.0};
    out.events.clear();
  }
  std::uint64_t interrupt_at = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t fail_at = std::numeric_limits<std::uint64_t>::max();

 private:
  engine::OutputCatalog catalog_;
};

class RunToStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("arbiter_cli_test_" + std::to_string(::getpid()) + "_" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    out_ = std::tmpfile();
    err_ = std::tmpfile();
  }
  void TearDown() override {
    std::fclose(out_);
    std::fclose(err_);
    fs::remove_all(directory_);
  }
  RunSettings settings(std::uint64_t runs) const {
    return {.out = directory_ / "results.arbiter",
            .force = false,
            .runs = runs,
            .seed = rng::MasterSeed{42},
            .threads = 2,
            .policy = "stop",
            .scenario_path = "two_rivals.yaml",
            .scenario_text = "name: two rivals\n",
            .scenario_name = "two rivals",
            .json = false,
            .shown_series = {},
            .block_runs = 8};
  }
  static std::string text_of(std::FILE* file) {
    std::fflush(file);
    std::rewind(file);
    std::string text;
    for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) text += static_cast<char>(c);
    return text;
  }
  fs::path directory_;
  std::FILE* out_ = nullptr;
  std::FILE* err_ = nullptr;
  FakeSimulator simulator_;
};

TEST_F(RunToStoreTest, JsonSummaryMatchesTheStore) {
  RunSettings s = settings(40);
  s.json = true;
  EXPECT_EQ(run_to_store(simulator_, s, out_, err_), exit_code::success);
  const auto json = nlohmann::json::parse(text_of(out_));
  EXPECT_EQ(json["status"], "complete");
  EXPECT_EQ(json["seed"], "42");
  EXPECT_EQ(json["runs_completed"], 40);
  EXPECT_EQ(json["final_quarter"], "2021Q4");
  ASSERT_EQ(json["series"].size(), 2u);
  // The mean of war_by_end is the share of runs with a war, recomputed here from the fake.
  double wars = 0.0;
  for (std::uint64_t run = 0; run < 40; ++run) {
    engine::RunResult result;
    simulator_.simulate(rng::MasterSeed{42}, run, result);
    wars += result.summaries[0];
  }
  const double mean = wars / 40.0;
  EXPECT_DOUBLE_EQ(json["summaries"][0]["mean"].get<double>(), mean);
  const double half_width = 1.959963984540054 * std::sqrt(mean * (1 - mean) * 40.0 / 39.0 / 40.0);
  EXPECT_NEAR(json["summaries"][0]["mc95_high"].get<double>(), mean + half_width, 1e-12);
  EXPECT_NEAR(json["summaries"][0]["mc95_low"].get<double>(), mean - half_width, 1e-12);
  EXPECT_EQ(text_of(err_), "");  // not a terminal: no progress bar
  const store::Manifest manifest = store::read_manifest(s.out);
  EXPECT_EQ(manifest.status, "complete");
  EXPECT_EQ(manifest.scenario_sha256, store::sha256_hex("name: two rivals\n"));
}

TEST_F(RunToStoreTest, TableNamesSeriesAndIntervals) {
  RunSettings s = settings(20);
  s.shown_series = {"capability.syldavia"};
  EXPECT_EQ(run_to_store(simulator_, s, out_, err_), exit_code::success);
  const std::string table = text_of(out_);
  EXPECT_NE(table.find("20 runs of two rivals (seed 42) written in"), std::string::npos) << table;
  EXPECT_NE(table.find("capability.syldavia"), std::string::npos) << table;
  EXPECT_EQ(table.find("capability.borduria"), std::string::npos) << table;
  EXPECT_NE(table.find("mean 2021Q4"), std::string::npos) << table;
  EXPECT_NE(table.find("95% Monte Carlo interval"), std::string::npos) << table;
  s.shown_series = {"capability.ruritania"};
  s.force = true;
  EXPECT_THROW(run_to_store(simulator_, s, out_, err_), UsageError);
}

TEST_F(RunToStoreTest, ExistingOutputNeedsForce) {
  const RunSettings s = settings(5);
  std::ofstream(s.out) << "precious";
  try {
    run_to_store(simulator_, s, out_, err_);
    FAIL() << "expected UsageError";
  } catch (const UsageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(s.out.string()), std::string::npos) << message;
    EXPECT_NE(message.find("--force"), std::string::npos) << message;
  }
  std::ifstream in(s.out);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
  RunSettings forced = s;
  forced.force = true;
  EXPECT_EQ(run_to_store(simulator_, forced, out_, err_), exit_code::success);
  EXPECT_EQ(store::read_manifest(s.out).runs_completed, 5u);
}

TEST_F(RunToStoreTest, CtrlCKeepsFinishedRunsAndExits130) {
  simulator_.interrupt_at = 10;  // in the second block of 8
  const RunSettings s = settings(1000);
  try {
    run_to_store(simulator_, s, out_, err_);
    FAIL() << "expected ExitRequest";
  } catch (const ExitRequest& request) {
    EXPECT_EQ(request.code, 130);
  }
  const store::Manifest manifest = store::read_manifest(s.out);
  EXPECT_EQ(manifest.status, "interrupted");
  EXPECT_EQ(manifest.runs_completed, 16u);
  const std::string err = text_of(err_);
  EXPECT_NE(err.find("interrupted after 16 of 1000 runs; results kept in " + s.out.string()), std::string::npos)
      << err;
  // The previous SIGINT disposition is back.
  struct sigaction current {};
  ::sigaction(SIGINT, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
}

TEST_F(RunToStoreTest, FailingRunMarksTheFileFailed) {
  simulator_.fail_at = 20;
  const RunSettings s = settings(100);
  EXPECT_THROW(run_to_store(simulator_, s, out_, err_), ensemble::RunError);
  const store::Manifest manifest = store::read_manifest(s.out);
  EXPECT_EQ(manifest.status, "failed");
  EXPECT_EQ(manifest.runs_completed, 16u);
}

}  // namespace
}  // namespace arbiter::cli
