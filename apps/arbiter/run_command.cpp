#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <thread>

#include <fmt/core.h>

#include "arbiter/diagnostics/diagnostic.hpp"
#include "arbiter/engine/engine.hpp"
#include "arbiter/ensemble/engine_simulator.hpp"
#include "arbiter/scenario/scenario.hpp"
#include "commands.hpp"
#include "run_to_store.hpp"

namespace arbiter::cli {

namespace {

struct RunOptions {
  std::string scenario_path;
  std::uint64_t runs = 1000;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::string policy;
  std::string out;
  bool json = false;
  bool force = false;
  std::string forecast_from;
};

std::string default_output(const RunOptions& options) {
  std::string stem = std::filesystem::path(options.scenario_path).stem().string();
  if (!options.policy.empty()) stem += "-" + options.policy;
  return stem + ".results.sqlite";
}

void run(const RunOptions& options) {
  scenario::Scenario scenario = scenario::load_scenario(options.scenario_path);
  if (!options.forecast_from.empty()) {
    const auto origin = scenario::quarter_offset(scenario, options.forecast_from);
    if (!origin) {
      throw UsageError(fmt::format("--forecast-from: '{}' is not a quarter such as 2015Q1 inside {}..{}",
                                   options.forecast_from, scenario.quarter_labels.front(),
                                   scenario.quarter_labels.back()));
    }
    scenario = scenario::forecast_from(std::move(scenario), *origin);
  }
  if (!options.policy.empty() && scenario.find_policy(options.policy) == nullptr) {
    std::vector<std::string> names;
    std::string listed;
    for (const auto& policy : scenario.policies) {
      names.push_back(policy.name);
      listed += (listed.empty() ? "" : ", ") + policy.name;
    }
    const std::string near = diagnostics::nearest(options.policy, names);
    throw UsageError(fmt::format("--policy: scenario {} has no policy '{}' (it has: {}){}", options.scenario_path,
                                 options.policy, listed.empty() ? "none" : listed,
                                 near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
  }
  std::uint64_t seed = 0;
  if (options.seed) {
    seed = *options.seed;
  } else if (scenario.seed) {
    seed = *scenario.seed;
  } else {
    std::random_device device;  // only when neither the scenario nor --seed gives one; printed and stored
    seed = (static_cast<std::uint64_t>(device()) << 32) | device();
    fmt::print(stderr, "arbiter: no seed given; using --seed {}\n", seed);
  }
  const engine::Engine engine(scenario, options.policy);
  const ensemble::EngineSimulator simulator(engine);
  RunSettings settings;
  settings.out = options.out.empty() ? default_output(options) : options.out;
  settings.force = options.force;
  settings.runs = options.runs;
  settings.seed = rng::MasterSeed{seed};
  settings.threads = options.threads;
  settings.policy = options.policy.empty() ? "baseline" : options.policy;
  settings.scenario_path = options.scenario_path;
  settings.scenario_text = scenario.text;
  settings.scenario_name = scenario.name;
  settings.json = options.json;
  for (const auto& rivalry : scenario.rivalries) {
    for (const char* prefix : {"war_hazard.", "at_war.", "defender_control.", "challenger_win_probability.",
                               "battle_deaths."}) {
      settings.shown_series.push_back(prefix + rivalry.id);
    }
  }
  for (const auto& actor : scenario.actors) {
    if (std::any_of(scenario.arms.begin(), scenario.arms.end(),
                    [&](const auto& a) { return scenario.actors[static_cast<std::size_t>(a.supplier)].id == actor.id; })) {
      settings.shown_series.push_back("arms_revenue." + actor.id);
    }
  }
  run_to_store(simulator, settings);
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  auto* command = app.add_subcommand("run", "Run a Monte Carlo ensemble of a scenario into a results file");
  command->add_option("scenario", options->scenario_path, "Scenario YAML file")->required();
  command->add_option("--runs,-n", options->runs, "Number of Monte Carlo runs")
      ->default_val(1000)
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));

  command->add_option("--seed", options->seed, "Master seed (default: the scenario's seed)")->check(seed_validator());
  command->add_option("--threads,-t", options->threads, "Worker threads (0 = all cores)")
      ->default_val(0)
      ->check(CLI::Range(0u, 1024u));
  command->add_option("--policy,-p", options->policy, "Named policy of the scenario (default: baseline history)");
  command->add_option("--out,-o", options->out, "Results file (default: SCENARIO[-POLICY].results.sqlite)");
  command->add_flag("--force", options->force, "Replace an existing results file");
  command->add_flag("--json", options->json, "Print the summary as JSON");
  command->add_option("--forecast-from", options->forecast_from,
                      "Backtest mode: forget data and events from this quarter on (e.g. 2015Q1)");
  command->callback([options] { run(*options); });
}

}  // namespace arbiter::cli
