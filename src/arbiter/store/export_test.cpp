#include "arbiter/store/export.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/ensemble/run_ensemble.hpp"
#include "arbiter/store/results_writer.hpp"
#include "arbiter/store/test_simulator.hpp"

namespace arbiter::store {
namespace {

namespace fs = std::filesystem;

const char* const csv_files[] = {"manifest.csv", "quarters.csv",   "actors.csv", "series.csv", "event_kinds.csv",
                                 "aggregates.csv", "summaries.csv", "events.csv", "runs.csv"};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) out.push_back(line);
  return out;
}

// The manifest lines that legitimately differ between two runs of the same inputs.
bool varies_between_runs(const std::string& line) {
  return line.starts_with("started_utc,") || line.starts_with("finished_utc,") || line.starts_with("host,");
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("arbiter_export_test_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  ensemble::EnsembleOutcome make(const fs::path& file, unsigned threads, std::uint64_t runs = 1100) {
    const Provenance provenance{.arbiter_version = "0.1.0",
                                .scenario_path = "two_rivals.yaml",
                                .scenario_text = "name: two rivals\n",
                                .scenario_name = "two rivals",
                                .seed = rng::MasterSeed{2024},
                                .runs_requested = runs,
                                .threads = 2,  // recorded as given: the same in both files
                                .policy = "stop"};
    ResultsWriter writer(file, provenance, simulator_.catalog(), false);
    const std::atomic<bool> never{false};
    auto outcome = ensemble::run_ensemble(simulator_, {.seed = provenance.seed, .runs = runs, .threads = threads},
                                          writer, nullptr, never);
    writer.finish(outcome.aggregates, outcome.runs_completed, RunStatus::complete);
    return outcome;
  }

  fs::path directory_;
  testing::TestSimulator simulator_;
};

TEST_F(ExportTest, SameInputsSameBytesExceptTimesAndHost) {
  make(directory_ / "a.arbiter", 1);
  make(directory_ / "b.arbiter", 2);
  export_csv(directory_ / "a.arbiter", directory_ / "a");
  export_csv(directory_ / "b.arbiter", directory_ / "b");
  for (const char* name : csv_files) {
    const std::string a = read_text(directory_ / "a" / name);
    const std::string b = read_text(directory_ / "b" / name);
    ASSERT_FALSE(a.empty()) << name;
    if (std::string(name) != "manifest.csv") {
      EXPECT_EQ(a, b) << name;
      continue;
    }
    const auto a_lines = lines(a);
    const auto b_lines = lines(b);
    ASSERT_EQ(a_lines.size(), b_lines.size());
    for (std::size_t i = 0; i < a_lines.size(); ++i) {
      if (!varies_between_runs(a_lines[i])) {
        EXPECT_EQ(a_lines[i], b_lines[i]);
      }
    }
  }
  auto json_a = nlohmann::ordered_json::parse(export_json(directory_ / "a.arbiter"));
  auto json_b = nlohmann::ordered_json::parse(export_json(directory_ / "b.arbiter"));
  for (const char* key : {"started_utc", "finished_utc", "host"}) {
    json_a["manifest"][key] = "";
    json_b["manifest"][key] = "";
  }
  EXPECT_EQ(json_a.dump(), json_b.dump());

  // And the comparison can fail: another seed changes the numbers.
  const Provenance other{.arbiter_version = "0.1.0", .scenario_path = "two_rivals.yaml",
                         .scenario_text = "name: two rivals\n", .scenario_name = "two rivals",
                         .seed = rng::MasterSeed{2025}, .runs_requested = 50, .threads = 2, .policy = "stop"};
  ResultsWriter writer(directory_ / "c.arbiter", other, simulator_.catalog(), false);
  const std::atomic<bool> never{false};
  const auto outcome = ensemble::run_ensemble(simulator_, {.seed = other.seed, .runs = 1100}, writer, nullptr, never);
  writer.finish(outcome.aggregates, outcome.runs_completed, RunStatus::complete);
  export_csv(directory_ / "c.arbiter", directory_ / "c");
  EXPECT_NE(read_text(directory_ / "a" / "aggregates.csv"), read_text(directory_ / "c" / "aggregates.csv"));
}

TEST_F(ExportTest, CsvHoldsTheExactNumbersInAStableLayout) {
  const auto outcome = make(directory_ / "r.arbiter", 2, 300);
  export_csv(directory_ / "r.arbiter", directory_ / "csv");
  const auto aggregates = lines(read_text(directory_ / "csv" / "aggregates.csv"));
  ASSERT_EQ(aggregates.size(), 1 + 3 * 12u);
  EXPECT_EQ(aggregates[0], "series,quarter,runs,mean,sd,q05,q25,q50,q75,q95");
  // Row 1 is capability.borduria at 2000Q1; every number reads back to the same double.
  std::vector<std::string> fields;
  std::stringstream row(aggregates[1]);
  for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
  ASSERT_EQ(fields.size(), 10u);
  EXPECT_EQ(fields[0], "capability.borduria");
  EXPECT_EQ(fields[1], "2000Q1");
  EXPECT_EQ(fields[2], "300");
  const ensemble::Distribution& d = outcome.aggregates.at(0, 0);
  EXPECT_EQ(std::strtod(fields[3].c_str(), nullptr), d.mean);
  EXPECT_EQ(std::strtod(fields[4].c_str(), nullptr), d.standard_deviation);
  EXPECT_EQ(std::strtod(fields[7].c_str(), nullptr), d.q50);
  EXPECT_EQ(std::strtod(fields[9].c_str(), nullptr), d.q95);
  // A name with a comma is quoted (RFC 4180).
  EXPECT_EQ(aggregates[1 + 2 * 12].substr(0, 40), "\"war_hazard.borduria~syldavia, annual\",2");

  const auto runs = lines(read_text(directory_ / "csv" / "runs.csv"));
  ASSERT_EQ(runs.size(), 301u);
  EXPECT_EQ(runs[0], "run,war_by_end,arms_imports_total");
  EXPECT_TRUE(runs[1].starts_with("0,"));
  EXPECT_TRUE(runs[300].starts_with("299,"));

  engine::RunResult first;
  simulator_.simulate(rng::MasterSeed{2024}, 0, first);
  std::size_t total_events = 0;
  for (std::uint64_t run = 0; run < 300; ++run) {
    engine::RunResult result;
    simulator_.simulate(rng::MasterSeed{2024}, run, result);
    total_events += result.events.size();
  }
  const auto events = lines(read_text(directory_ / "csv" / "events.csv"));
  EXPECT_EQ(events.size(), 1 + total_events);
  EXPECT_EQ(events[0], "run,sequence,quarter,kind,actor,other_actor,value");
  ASSERT_FALSE(first.events.empty());
  const engine::Event& e = first.events[0];
  const std::string kinds[] = {"war_started", "ceasefire", "arms_transfer"};
  const std::string actors[] = {"borduria", "syldavia", "ruritania"};
  EXPECT_EQ(events[1], fmt::format("0,0,{}Q{},{},{},{},{}", 2000 + e.quarter / 4, e.quarter % 4 + 1, kinds[e.kind],
                                   e.actor < 0 ? "" : actors[e.actor], e.other_actor < 0 ? "" : actors[e.other_actor],
                                   e.value));

  const auto summaries = lines(read_text(directory_ / "csv" / "summaries.csv"));
  ASSERT_EQ(summaries.size(), 3u);
  EXPECT_TRUE(summaries[1].starts_with(fmt::format("war_by_end,probability,300,{},", outcome.aggregates.summaries[0].mean)))
      << summaries[1];
  EXPECT_EQ(lines(read_text(directory_ / "csv" / "manifest.csv"))[0], "key,value");
}

TEST_F(ExportTest, JsonMirrorsTheAggregates) {
  const auto outcome = make(directory_ / "r.arbiter", 2, 200);
  const auto json = nlohmann::json::parse(export_json(directory_ / "r.arbiter"));
  EXPECT_EQ(json["schema"], 1);
  EXPECT_EQ(json["manifest"]["seed"], "2024");
  EXPECT_EQ(json["manifest"]["runs_completed"], 200);
  EXPECT_EQ(json["manifest"]["status"], "complete");
  ASSERT_EQ(json["quarters"].size(), 12u);
  ASSERT_EQ(json["series"].size(), 3u);
  EXPECT_EQ(json["series"][1]["name"], "capability.syldavia");
  EXPECT_EQ(json["series"][1]["unit"], "USD bn (2022)");
  ASSERT_EQ(json["series"][1]["q05"].size(), 12u);
  for (std::size_t t = 0; t < 12; ++t) {
    EXPECT_EQ(json["series"][1]["mean"][t].get<double>(), outcome.aggregates.at(1, t).mean);
    EXPECT_EQ(json["series"][1]["q05"][t].get<double>(), outcome.aggregates.at(1, t).q05);
  }
  EXPECT_EQ(json["summaries"][1]["mean"].get<double>(), outcome.aggregates.summaries[1].mean);
  ASSERT_EQ(json["runs"].size(), 200u);
  EXPECT_EQ(json["runs"][199]["run"], 199);
  EXPECT_EQ(json["runs"][199]["summaries"].size(), 2u);
}

TEST_F(ExportTest, ExportOfSomethingElseNamesTheFile) {
  const fs::path text = directory_ / "x.csv";
  std::ofstream(text) << "a,b\n1,2\n";
  try {
    (void)export_json(text);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(text.string()), std::string::npos);
  }
}

}  // namespace
}  // namespace arbiter::store
