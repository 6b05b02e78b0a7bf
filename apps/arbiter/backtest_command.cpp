#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/core.h>

#include "arbiter/datasets/csv.hpp"
#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/scenario/scenario.hpp"
#include "arbiter/scenario/yaml_tree.hpp"
#include "arbiter/validation/backtest.hpp"
#include "arbiter/validation/report.hpp"
#include "commands.hpp"

// `arbiter backtest SPEC.yaml`: the files in, the note out; the work is in arbiter::validation.
namespace arbiter::cli {

namespace {

namespace fs = std::filesystem;

struct BacktestOptions {
  std::string spec_path;
  std::optional<std::uint64_t> runs;
  std::string out_dir;
  unsigned threads = 0;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("cannot read {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Every fact id a question cites must be a row of the facts file.
void check_facts(const validation::BacktestSpec& spec, const datasets::CsvTable* facts, const std::string& spec_path) {
  std::vector<diagnostics::Diagnostic> problems;
  std::set<std::string> ids;
  if (facts != nullptr) {
    for (const auto& row : facts->rows) {
      if (!row.fields.empty()) ids.insert(row.fields[0]);
    }
  }
  for (const auto& origin : spec.origins) {
    for (const auto& q : origin.questions) {
      for (const auto& id : q.facts) {
        if (ids.count(id) == 0) {
          problems.push_back(scenario::error_at({spec_path, 1, 1}, "backtest.fact",
                                                fmt::format("question '{}' cites {} but {} has no such row", q.id, id,
                                                            spec.facts.empty() ? "the spec names no facts file" : spec.facts)));
        }
      }
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

void run_backtest_command(const BacktestOptions& options) {
  const fs::path spec_path = options.spec_path;
  const fs::path base = spec_path.parent_path();
  const auto spec = validation::parse_backtest_spec(read_text(spec_path), options.spec_path);
  const std::uint64_t runs = options.runs.value_or(spec.runs);
  const scenario::Scenario scenario = scenario::load_scenario((base / spec.scenario).string());

  validation::BacktestInputs inputs;
  inputs.base_rates = datasets::read_csv(base / spec.base_rates, spec.base_rates);
  auto add_data = [&](const std::string& name) {
    if (!name.empty() && inputs.data_files.count(name) == 0) {
      inputs.data_files.emplace(name, datasets::read_csv(base / name, name));
    }
  };
  for (const auto& target : spec.targets) add_data(target.data_file);
  for (const auto& origin : spec.origins) {
    for (const auto& q : origin.questions) {
      for (const auto& cell : q.data_cells) add_data(cell.file);
    }
  }
  std::optional<datasets::CsvTable> facts;
  if (!spec.facts.empty()) facts = datasets::read_csv(base / spec.facts, spec.facts);
  check_facts(spec, facts ? &*facts : nullptr, options.spec_path);
  const std::string template_text = read_text(base / spec.template_file);

  const auto started = std::chrono::steady_clock::now();
  const auto result = validation::run_backtest(scenario, spec, inputs, runs, options.threads,
                                               [](const std::string& what) { fmt::print(stderr, "backtest: {}\n", what); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  validation::ReportContext context;
  context.command = fmt::format("arbiter backtest {}{}", options.spec_path,
                                options.runs ? fmt::format(" --runs {}", runs) : std::string());
  context.spec_file = options.spec_path;
  context.scenario_file = (base / spec.scenario).lexically_normal().string();
  context.facts = facts ? &*facts : nullptr;
  context.data_files = &inputs.data_files;
  for (const auto& p : spec.parameters) {
    const auto& param = scenario.params[scenario.param_by_path.at(p.path)];
    std::string reason = param.source;
    if (reason.rfind("free: ", 0) == 0) reason = reason.substr(6);
    context.scenario_values.push_back({.path = p.path, .value = param.segments.front().value.a,
                                       .free_low = param.free_low, .free_high = param.free_high,
                                       .reason = reason});
  }
  const std::string note = validation::render_report(template_text, spec.template_file, spec, result, context);
  const fs::path out = options.out_dir.empty() ? (base / spec.output).lexically_normal()
                                               : fs::path(options.out_dir) / fs::path(spec.output).filename();
  if (!options.out_dir.empty()) fs::create_directories(options.out_dir);
  {
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << note;
    if (!file.flush()) throw UsageError(fmt::format("cannot write {}", out.string()));
  }
  for (const auto& origin : result.origins) {
    fmt::print("origin {}:", origin.origin);
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
      fmt::print(" {} = {:g}", spec.parameters[p].path, origin.grid[origin.best].values[p]);
    }
    fmt::print("\n");
    for (const auto& q : origin.questions) {
      fmt::print("  {:<28} P = {:.3f} ± {:.3f}  base rate {:.3f}  happened {}  Brier {:.3f} vs {:.3f}\n", q.question.id,
                 q.probability.value, q.probability.standard_error, q.base_rate_probability,
                 q.question.happened ? "yes" : "no", q.brier_model, q.brier_base_rate);
    }
  }
  fmt::print("wrote {} ({} runs per ensemble, {:.0f} s)\n", out.string(), runs, seconds);
}

}  // namespace

void add_backtest_command(CLI::App& app) {
  auto options = std::make_shared<BacktestOptions>();
  auto* command = app.add_subcommand(
      "backtest", "Fit free parameters on pre-origin data, forecast from each origin and write the validation note");
  command->add_option("spec", options->spec_path, "Backtest spec (e.g. scenarios/karabakh/backtest.yaml)")->required();
  command->add_option("--runs,-n", options->runs, "Monte Carlo runs per ensemble (default: the spec's runs)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000}));
  command->add_option("--out,-o", options->out_dir, "Directory for the note (default: the spec's output path)");
  command->add_option("--threads,-t", options->threads, "Worker threads (0 = all cores)")
      ->default_val(0)
      ->check(CLI::Range(0u, 1024u));
  command->callback([options] { run_backtest_command(*options); });
}

}  // namespace arbiter::cli
