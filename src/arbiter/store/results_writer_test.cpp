#include "arbiter/store/results_writer.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/ensemble/run_ensemble.hpp"
#include "arbiter/store/results_file.hpp"
#include "arbiter/store/test_simulator.hpp"

namespace arbiter::store {
namespace {

namespace fs = std::filesystem;

class ResultsWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("arbiter_store_test_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  Provenance provenance(std::uint64_t runs) const {
    return {.arbiter_version = "0.1.0",
            .scenario_path = "examples/two_rivals.yaml",
            .scenario_text = "abc",
            .scenario_name = "two rivals",
            .seed = rng::MasterSeed{18446744073709551615ull},
            .runs_requested = runs,
            .threads = 2,
            .policy = "stop"};
  }

  // Runs an ensemble into `file`; `stop_after` requests a stop once that many runs were stored.
  ensemble::EnsembleOutcome run(const fs::path& file, std::uint64_t runs, bool force = false,
                                std::optional<std::uint64_t> stop_after = std::nullopt) {
    ResultsWriter writer(file, provenance(runs), simulator_.catalog(), force);
    std::atomic<bool> stop{false};
    struct StoppingSink final : ensemble::RunResultSink {
      void accept(const engine::RunResult& result) override {
        inner->accept(result);
        if (limit && result.run_index + 1 == *limit) flag->store(true);
      }
      void block_finished(std::uint64_t runs_accepted) override { inner->block_finished(runs_accepted); }
      ResultsWriter* inner;
      std::optional<std::uint64_t> limit;
      std::atomic<bool>* flag;
    } sink;
    sink.inner = &writer;
    sink.limit = stop_after;
    sink.flag = &stop;
    const auto outcome = ensemble::run_ensemble(
        simulator_, {.seed = provenance(runs).seed, .runs = runs, .threads = 2, .block_runs = 16}, sink, nullptr, stop);
    writer.finish(outcome.aggregates, outcome.runs_completed,
                  outcome.stopped ? RunStatus::interrupted : RunStatus::complete);
    return outcome;
  }

  static std::int64_t count_rows(const fs::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    EXPECT_EQ(sqlite3_step(statement), SQLITE_ROW);
    const std::int64_t value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
  }

  fs::path directory_;
  testing::TestSimulator simulator_;
};

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(ResultsWriterTest, CompleteEnsembleWritesManifestAndRenames) {
  const fs::path file = directory_ / "results.arbiter";
  const auto outcome = run(file, 40);
  EXPECT_TRUE(fs::exists(file));
  EXPECT_FALSE(fs::exists(partial_path(file)));
  const Manifest manifest = read_manifest(file);
  EXPECT_EQ(manifest.status, "complete");
  EXPECT_EQ(manifest.runs_requested, 40u);
  EXPECT_EQ(manifest.runs_completed, 40u);
  EXPECT_EQ(manifest.seed, "18446744073709551615");
  EXPECT_EQ(manifest.scenario_sha256, sha256_hex("abc"));
  EXPECT_EQ(manifest.scenario_name, "two rivals");
  EXPECT_EQ(manifest.policy, "stop");
  EXPECT_EQ(manifest.threads, 2u);
  const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  EXPECT_TRUE(std::regex_match(manifest.started_utc, iso)) << manifest.started_utc;
  EXPECT_TRUE(std::regex_match(manifest.finished_utc, iso)) << manifest.finished_utc;
  EXPECT_EQ(count_rows(file, "SELECT COUNT(*) FROM run_summaries"), 40 * 2);
  EXPECT_EQ(count_rows(file, "SELECT COUNT(*) FROM series_aggregates"), 3 * 12);
  EXPECT_EQ(count_rows(file, "SELECT COUNT(DISTINCT run) FROM run_summaries"), 40);
  EXPECT_EQ(count_rows(file, "SELECT COUNT(*) FROM series_aggregates WHERE runs = 40"), 36);
  // The self-contained file has no WAL left beside it.
  EXPECT_FALSE(fs::exists(file.string() + "-wal"));
  (void)outcome;
}

TEST_F(ResultsWriterTest, RefusesToOverwriteWithoutForce) {
  const fs::path file = directory_ / "results.arbiter";
  run(file, 5);
  try {
    run(file, 5);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find("--force"), std::string::npos) << message;
    EXPECT_EQ(error.diagnostics().front().code, "store.output-exists");
  }
  run(file, 7, /*force=*/true);
  EXPECT_EQ(read_manifest(file).runs_completed, 7u);
}

TEST_F(ResultsWriterTest, InterruptedEnsembleKeepsItsCompleteBlocks) {
  const fs::path file = directory_ / "results.arbiter";
  const auto outcome = run(file, 1000, false, /*stop_after=*/20);
  // Blocks of 16: the stop comes while the second is stored and the third simulated; both
  // blocks in flight are finished.
  EXPECT_EQ(outcome.runs_completed, 48u);
  const Manifest manifest = read_manifest(file);
  EXPECT_EQ(manifest.status, "interrupted");
  EXPECT_EQ(manifest.runs_completed, 48u);
  EXPECT_EQ(count_rows(file, "SELECT COUNT(DISTINCT run) FROM run_summaries"), 48);
  EXPECT_EQ(count_rows(file, "SELECT MAX(run) FROM run_summaries"), 47);
  EXPECT_EQ(count_rows(file, "SELECT COUNT(*) FROM series_aggregates WHERE runs = 48"), 36);
}

// kill -9 in the middle of a block: the child dies without running any destructor.
TEST_F(ResultsWriterTest, KilledWriterLeavesValidPartialFile) {
  const fs::path file = directory_ / "results.arbiter";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ResultsWriter writer(file, provenance(100), simulator_.catalog(), false);
    engine::RunResult result;
    for (std::uint64_t run = 0; run < 45; ++run) {
      result.run_index = run;
      simulator_.simulate(rng::MasterSeed{1}, run, result);
      writer.accept(result);
      if ((run + 1) % 20 == 0) writer.block_finished(run + 1);
    }
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_FALSE(fs::exists(file));
  const fs::path partial = partial_path(file);
  ASSERT_TRUE(fs::exists(partial));
  const Manifest manifest = read_manifest(partial);
  EXPECT_EQ(manifest.status, "running");
  EXPECT_EQ(manifest.runs_completed, 40u);
  EXPECT_EQ(count_rows(partial, "SELECT COUNT(DISTINCT run) FROM run_summaries"), 40);
  EXPECT_EQ(count_rows(partial, "SELECT COUNT(*) FROM run_summaries"), 80);
  EXPECT_EQ(count_rows(partial, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
  // A new run refuses to clobber the evidence unless forced.
  EXPECT_THROW(ResultsWriter(file, provenance(100), simulator_.catalog(), false), InputError);
  run(file, 3, /*force=*/true);
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_EQ(read_manifest(file).status, "complete");
}

TEST_F(ResultsWriterTest, OpeningSomethingElseIsAClearError) {
  const auto expect_error = [](const fs::path& file, const std::string& fragment, const std::string& code) {
    try {
      (void)read_manifest(file);
      FAIL() << "expected InputError for " << file;
    } catch (const InputError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(file.string()), std::string::npos) << message;
      EXPECT_NE(message.find(fragment), std::string::npos) << message;
      EXPECT_EQ(error.diagnostics().front().code, code);
    }
  };
  const fs::path text = directory_ / "notes.txt";
  std::ofstream(text) << "this is not a database, just some text long enough to have a header of sorts\n";
  expect_error(text, "not an arbiter results file", "store.not-results-file");
  expect_error(directory_ / "missing.arbiter", "no such file", "store.not-found");

  const fs::path other = directory_ / "other.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  expect_error(other, "not an arbiter results file", "store.not-results-file");

  const fs::path newer = directory_ / "newer.arbiter";
  run(newer, 3);
  ASSERT_EQ(sqlite3_open(newer.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 2", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  expect_error(newer, "newer than this arbiter reads", "store.newer-schema");
}

}  // namespace
}  // namespace arbiter::store
