// The shared history is a shortcut, not a model: every run started from the trunk's
// snapshots must be bit for bit the run simulated from the first quarter. Checked on every
// scenario the project ships, under every policy, and on variants that move the trunk's end
// (no growth shocks: the trunk reaches the peacekeepers' mandate renewals and the horizon;
// parameters sampled per run, which the trunk may share only where they feed outputs).
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "arbiter/engine/engine.hpp"
#include "model_support.hpp"

namespace arbiter::model_test {
namespace {

std::vector<std::uint64_t> bits(const std::vector<double>& values) {
  std::vector<std::uint64_t> out;
  out.reserve(values.size());
  for (const double value : values) out.push_back(std::bit_cast<std::uint64_t>(value));
  return out;
}

// Compares `runs` runs of one engine both ways; returns how many started from a snapshot
// after the first quarter (so a test can check that the shortcut was really taken).
void expect_same_runs(const engine::Engine& engine, std::uint64_t runs, const std::string& label) {
  engine::RunResult shared, scratch;
  for (std::uint64_t run = 0; run < runs; ++run) {
    engine.simulate(rng::MasterSeed{test_seed}, run, shared);
    engine.simulate_from_scratch(rng::MasterSeed{test_seed}, run, scratch);
    ASSERT_EQ(shared.run_index, scratch.run_index) << label << " run " << run;
    ASSERT_EQ(bits(shared.series), bits(scratch.series)) << label << " run " << run;
    ASSERT_EQ(bits(shared.summaries), bits(scratch.summaries)) << label << " run " << run;
    ASSERT_EQ(shared.events.size(), scratch.events.size()) << label << " run " << run;
    for (std::size_t e = 0; e < shared.events.size(); ++e) {
      ASSERT_TRUE(shared.events[e] == scratch.events[e] && std::bit_cast<std::uint64_t>(shared.events[e].value) ==
                                                               std::bit_cast<std::uint64_t>(scratch.events[e].value))
          << label << " run " << run << " event " << e;
    }
  }
}

void expect_same_under_every_policy(const scenario::Scenario& scenario, std::uint64_t runs, const std::string& label) {
  std::vector<std::string> policies{""};
  for (const auto& policy : scenario.policies) policies.push_back(policy.name);
  for (const auto& policy : policies) {
    const engine::Engine engine(scenario, policy);
    expect_same_runs(engine, runs, label + (policy.empty() ? "" : " / " + policy));
  }
}

// Growth shocks end the trunk where the GDP data end; without them it can run longer.
scenario::Scenario without_growth_shocks(scenario::Scenario scenario) {
  for (const auto& actor : scenario.actors) {
    if (!actor.economy) continue;
    for (auto& segment : scenario.params[actor.economy->gdp_growth_sd].segments) {
      segment.value = scenario::Distribution{.kind = scenario::Distribution::Kind::Fixed, .a = 0.0};
    }
  }
  return scenario;
}

const std::string karabakh_file = source_dir + "/scenarios/karabakh/karabakh.yaml";

TEST(SharedHistory, FlagshipRunsAreThoseSimulatedFromScratchUnderEveryPolicy) {
  const auto scenario = load_file(karabakh_file);
  const engine::Engine baseline(scenario, "");
  // Fixed parameters and observed GDP until the data end: a long shared stretch.
  EXPECT_GT(baseline.shared_history_end(), scenario.quarter_count / 2);
  expect_same_under_every_policy(scenario, 120, "karabakh");
}

TEST(SharedHistory, FlagshipWithoutGrowthShocksSharesTheWholeHorizon) {
  const auto scenario = without_growth_shocks(load_file(karabakh_file));
  const engine::Engine engine(scenario, "");
  EXPECT_EQ(engine.shared_history_end(), scenario.quarter_count);
  expect_same_runs(engine, 300, "karabakh without growth shocks");
}

TEST(SharedHistory, SecondCaseRunsAreThoseSimulatedFromScratch) {
  const auto scenario = load_file(source_dir + "/scenarios/ethiopia-eritrea/ethiopia-eritrea.yaml");
  expect_same_under_every_policy(scenario, 200, "ethiopia-eritrea");
  expect_same_runs(engine::Engine(without_growth_shocks(scenario), ""), 200, "ethiopia-eritrea without growth shocks");
}

TEST(SharedHistory, ExampleRunsAreThoseSimulatedFromScratch) {
  const auto scenario = load_file(example_file);
  expect_same_under_every_policy(scenario, 200, "example");
  const auto unshocked = without_growth_shocks(scenario);
  const engine::Engine engine(unshocked, "");
  EXPECT_EQ(engine.shared_history_end(), unshocked.quarter_count);
  expect_same_under_every_policy(unshocked, 300, "example without growth shocks");
}

TEST(SharedHistory, MandateRenewalsGoEachRunsOwnWay) {
  // Fixed parameters and a short mandate renewed by chance (no settlement to make it
  // automatic): the trunk renews, and a run whose own draw says no leaves it there.
  std::string text = read_text_file(scenario_dir + "/peacekeeping.yaml");
  text = replace_once(text, "quality: {dist: uniform, low: 0.9, high: 1.5}", "quality: 1.2");
  text = replace_once(text, "war_cost_challenger: {dist: uniform, low: 0.05, high: 0.2}", "war_cost_challenger: 0.12");
  text = replace_once(text, "mandate: 40, hazard_ratio: 0.35}", "mandate: 4, hazard_ratio: 0.35, renewal_probability: 0.6}");
  const auto scenario = load(text, scenario_dir + "/peacekeeping.yaml");
  const engine::Engine engine(scenario, "");
  EXPECT_EQ(engine.shared_history_end(), scenario.quarter_count);
  expect_same_runs(engine, 300, "peacekeeping with chance renewals");
  std::size_t renewed = 0, withdrawn = 0;
  engine::RunResult result;
  for (std::uint64_t run = 0; run < 300; ++run) {
    engine.simulate(rng::MasterSeed{test_seed}, run, result);
    for (const auto& e : result.events) {
      renewed += e.kind == static_cast<std::uint16_t>(engine::EventKind::MandateRenewed) ? 1 : 0;
      withdrawn += e.kind == static_cast<std::uint16_t>(engine::EventKind::PeacekeepersWithdrawn) ? 1 : 0;
    }
  }
  EXPECT_GT(renewed, 0U);
  EXPECT_GT(withdrawn, 0U);
}

TEST(SharedHistory, ControlledScenariosRunAsFromScratch) {
  for (const char* name : {"abandonment", "alliance_scope", "arms_price", "backer", "loan", "mediation", "peacekeeping",
                           "richardson", "sell_both"}) {
    const auto scenario = load_file(scenario_dir + "/" + name + ".yaml");
    expect_same_under_every_policy(scenario, 60, name);
    expect_same_runs(engine::Engine(without_growth_shocks(scenario), ""), 60, std::string(name) + " unshocked");
  }
}

// Replaces a parameter's value by a uniform draw around it, so that it differs between runs.
void sample(scenario::Scenario& scenario, scenario::ParamId id) {
  auto& segment = scenario.params[id].segments[0];
  const double value = segment.value.a;
  segment.value = scenario::Distribution{.kind = scenario::Distribution::Kind::Uniform, .a = 0.5 * value, .b = value};
}

TEST(SharedHistory, ParametersSampledOnlyForAssessmentsKeepTheWholeHistoryShared) {
  // The crisis rate enters only the war risk, which feeds outputs and the runs' own draws.
  auto scenario = without_growth_shocks(load_file(karabakh_file));
  sample(scenario, scenario.rivalries[0].crisis_rate);
  const engine::Engine engine(scenario, "");
  EXPECT_EQ(engine.shared_history_end(), scenario.quarter_count);
  expect_same_runs(engine, 200, "karabakh with a sampled crisis rate");
}

TEST(SharedHistory, ParametersSampledIntoTheStateEndTheSharedHistory) {
  const auto unshocked = without_growth_shocks(load_file(karabakh_file));
  {
    // Arms prices shape every run's arsenal from the first quarter: nothing is shared.
    auto scenario = unshocked;
    sample(scenario, scenario.arms[0].price);
    const engine::Engine engine(scenario, "");
    EXPECT_EQ(engine.shared_history_end(), 0);
    expect_same_runs(engine, 20, "karabakh with a sampled arms price");
  }
  {
    // The peacekeepers' mandate is read when they deploy (2020): the history is shared until then.
    auto scenario = unshocked;
    ASSERT_FALSE(scenario.missions.empty());
    sample(scenario, scenario.missions[0].mandate);
    const engine::Engine engine(scenario, "");
    EXPECT_GT(engine.shared_history_end(), 0);
    EXPECT_LT(engine.shared_history_end(), scenario.quarter_count);
    expect_same_runs(engine, 200, "karabakh with a sampled mandate");
  }
}

}  // namespace
}  // namespace arbiter::model_test
