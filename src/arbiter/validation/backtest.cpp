#include "arbiter/validation/backtest.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/engine/engine.hpp"
#include "arbiter/scenario/yaml_tree.hpp"
#include "arbiter/validation/scoring.hpp"

namespace arbiter::validation {

namespace {

using engine::EventKind;

diagnostics::Diagnostic table_problem(const datasets::CsvTable& table, std::string message) {
  return scenario::error_at({table.file, 1, 1}, "backtest.data", std::move(message));
}

int year_of(std::string_view quarter_label) { return scenario::parse_quarter(quarter_label)->year; }

/// What one run contributes: one number per slot (a target value or a 0/1 question outcome).
using RunStats = std::vector<double>;
using Extractor = std::function<RunStats(const engine::RunResult&)>;

/// Runs `runs` runs of the scenario under `policy` on `threads` threads and returns, per slot,
/// the mean over runs with a finite value and its standard error. Run i always uses run
/// index i of `seed`, so two calls differ only by what they were asked to change (common
/// random numbers across grid points and policies).
std::vector<Estimate> ensemble_means(const scenario::Scenario& scenario, const std::string& policy,
                                     std::uint64_t runs, std::uint64_t seed, unsigned threads,
                                     std::size_t slots, const Extractor& extract) {
  const engine::Engine engine(scenario, policy);
  std::vector<RunStats> per_run(runs);
  std::atomic<std::uint64_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    engine::RunResult result;
    for (std::uint64_t i = next++; i < runs; i = next++) {
      try {
        result.run_index = i;
        engine.simulate(rng::MasterSeed{seed}, i, result);
        per_run[i] = extract(result);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = runs;
      }
    }
  };
  const unsigned workers = std::max(1u, threads == 0 ? std::thread::hardware_concurrency() : threads);
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
  }
  if (failure) std::rethrow_exception(failure);
  std::vector<Estimate> out(slots);
  for (std::size_t s = 0; s < slots; ++s) {
    double sum = 0.0, sum_sq = 0.0;
    std::uint64_t n = 0;
    for (const auto& stats : per_run) {
      if (!std::isfinite(stats[s])) continue;
      sum += stats[s];
      sum_sq += stats[s] * stats[s];
      ++n;
    }
    if (n == 0) {
      out[s] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
      continue;
    }
    const double mean = sum / static_cast<double>(n);
    const double variance = n > 1 ? std::max(0.0, (sum_sq - sum * mean) / static_cast<double>(n - 1)) : 0.0;
    out[s] = {mean, std::sqrt(variance / static_cast<double>(n))};
  }
  return out;
}

struct Window {
  int first = 0, last = 0;  // quarter indices into the run, inclusive
};

/// Indices of the engine's output the extractors need, resolved once per scenario.
struct Lookup {
  const scenario::Scenario& s;
  const engine::OutputCatalog& catalog;
  int start_index = 0;
  std::int16_t challenger = -1, defender = -1;

  Lookup(const scenario::Scenario& sc, const engine::OutputCatalog& cat, const std::string& rivalry)
      : s(sc), catalog(cat) {
    start_index = s.start_year * 4 + s.start_quarter_of_year - 1;
    for (const auto& r : s.rivalries) {
      if (r.id != rivalry) continue;
      challenger = static_cast<std::int16_t>(r.challenger);
      defender = static_cast<std::int16_t>(r.defender);
    }
  }
  [[nodiscard]] int year_of_quarter(std::uint32_t q) const { return (start_index + static_cast<int>(q)) / 4; }
  [[nodiscard]] Window years(int first_year, int last_year) const {
    return {std::max(0, first_year * 4 - start_index), std::min(s.quarter_count - 1, last_year * 4 + 3 - start_index)};
  }
  [[nodiscard]] Window quarters(const std::string& from, const std::string& to) const {
    return {quarter_index(*scenario::parse_quarter(from)) - start_index,
            quarter_index(*scenario::parse_quarter(to)) - start_index};
  }
  [[nodiscard]] std::size_t series(const std::string& name) const {
    for (std::size_t i = 0; i < catalog.series.size(); ++i) {
      if (catalog.series[i].name == name) return i;
    }
    throw InternalError("backtest: no output series " + name);
  }
};

std::vector<std::uint16_t> kind_indices(const std::vector<std::string>& names) {
  std::vector<std::uint16_t> out;
  const auto& all = engine::event_kind_names();
  for (const auto& name : names) {
    const auto it = std::find(all.begin(), all.end(), name);
    check_invariant(it != all.end(), "the spec names only known event kinds");
    out.push_back(static_cast<std::uint16_t>(it - all.begin()));
  }
  return out;
}

/// One slot's computation on one run.
using SlotFn = std::function<double(const engine::RunResult&)>;

SlotFn annual_event_probability(const Lookup& at, const CalibrationTarget& target, int last_year) {
  const auto kinds = kind_indices(target.events);
  const int first_year = target.first_year;
  const std::int16_t challenger = at.challenger;
  return [&at, kinds, first_year, last_year, challenger](const engine::RunResult& run) {
    std::vector<char> hit(static_cast<std::size_t>(last_year - first_year + 1), 0);
    for (const auto& e : run.events) {
      if (e.actor != challenger || std::find(kinds.begin(), kinds.end(), e.kind) == kinds.end()) continue;
      const int year = at.year_of_quarter(e.quarter);
      if (year >= first_year && year <= last_year) hit[static_cast<std::size_t>(year - first_year)] = 1;
    }
    return static_cast<double>(std::count(hit.begin(), hit.end(), 1)) / static_cast<double>(hit.size());
  };
}

SlotFn import_share(const Lookup& at, const CalibrationTarget& target, int last_year) {
  std::vector<std::size_t> included, all;
  for (const auto& pair : at.s.arms) {
    const auto& recipient = at.s.actors[static_cast<std::size_t>(pair.recipient)].id;
    const auto& supplier = at.s.actors[static_cast<std::size_t>(pair.supplier)].id;
    if (recipient != target.recipient) continue;
    const std::size_t index = at.series("deliveries." + supplier + "->" + recipient);
    all.push_back(index);
    if (supplier != target.excluded_supplier) included.push_back(index);
  }
  const Window window = at.years(target.first_year, last_year);
  const std::size_t quarters = at.catalog.quarter_count();
  return [included, all, window, quarters](const engine::RunResult& run) {
    double part = 0.0, total = 0.0;
    for (int q = window.first; q <= window.last; ++q) {
      for (const std::size_t s : included) part += run.at(s, static_cast<std::size_t>(q), quarters);
      for (const std::size_t s : all) total += run.at(s, static_cast<std::size_t>(q), quarters);
    }
    return total > 0.0 ? part / total : std::numeric_limits<double>::quiet_NaN();
  };
}

SlotFn question_outcome(const Lookup& at, const Question& question) {
  const auto kinds = kind_indices(question.events);
  const auto territory = kind_indices({"territory_change"}).front();
  const Window window = at.quarters(question.from, question.to);
  const auto below = question.territory_change_below;
  const std::int16_t challenger = at.challenger, defender = at.defender;
  return [kinds, territory, window, below, challenger, defender](const engine::RunResult& run) {
    bool event = false;
    double net_change = 0.0;
    for (const auto& e : run.events) {
      const int q = static_cast<int>(e.quarter);
      if (q < window.first || q > window.last) continue;
      if (e.actor == challenger && std::find(kinds.begin(), kinds.end(), e.kind) != kinds.end()) event = true;
      if (e.kind == territory && e.actor == defender) net_change += e.value;
    }
    return event && (!below || net_change < *below) ? 1.0 : 0.0;
  };
}

double observed_share(const datasets::CsvTable& table, const CalibrationTarget& target, int last_year,
                      std::string& note) {
  const std::size_t period = table.column("period");
  const std::size_t numerator = table.column(target.numerator);
  const std::size_t denominator = table.column(target.denominator);
  double part = 0.0, total = 0.0;
  int first_seen = 0, last_seen = 0;
  for (const auto& row : table.rows) {
    const int year = std::stoi(row.fields[period].substr(0, 4));
    if (year < target.first_year || year > last_year) continue;  // never a year from the origin on
    part += datasets::optional_number(table, row, numerator).value_or(0.0);
    total += datasets::optional_number(table, row, denominator).value_or(0.0);
    if (first_seen == 0) first_seen = year;
    last_seen = year;
  }
  if (total <= 0.0) {
    throw InputError({table_problem(table, fmt::format("no {} in {}..{} to fit target '{}'", target.denominator,
                                                       target.first_year, last_year, target.id))});
  }
  note = fmt::format("{}: sum of {} / sum of {}, {}..{}", table.file, target.numerator, target.denominator,
                     first_seen, last_seen);
  return part / total;
}

double loss_of(const std::vector<Estimate>& model, const std::vector<double>& observed) {
  double loss = 0.0;
  for (std::size_t t = 0; t < model.size(); ++t) {
    const double scale = observed[t] != 0.0 ? observed[t] : 1.0;
    const double relative = (model[t].value - observed[t]) / scale;
    loss += std::isfinite(relative) ? relative * relative : 1e6;  // a target the run never produced is a miss
  }
  return loss;
}

void set_free_value(scenario::Scenario& s, const FreeParameter& parameter, double value) {
  auto& param = s.params[s.param_by_path.at(parameter.path)];
  param.segments.front().value = scenario::Distribution{.kind = scenario::Distribution::Kind::Fixed, .a = value};
}

void check_spec_against_scenario(const scenario::Scenario& s, const BacktestSpec& spec) {
  std::vector<diagnostics::Diagnostic> problems;
  auto problem = [&](const diagnostics::InputLocation& where, std::string message) {
    problems.push_back(scenario::error_at(where, "backtest.spec", std::move(message)));
  };
  for (const auto& p : spec.parameters) {
    const auto it = s.param_by_path.find(p.path);
    if (it == s.param_by_path.end()) {
      problem(p.where, fmt::format("the scenario has no parameter '{}'", p.path));
      continue;
    }
    const auto& param = s.params[it->second];
    if (!param.is_free) {
      problem(p.where, fmt::format("'{}' is sourced, not free: only free parameters may be fitted", p.path));
      continue;
    }
    for (const double v : p.grid) {
      if (v < param.free_low || v > param.free_high) {
        problem(p.where, fmt::format("grid value {} of '{}' lies outside its free range [{}, {}]", v, p.path,
                                     param.free_low, param.free_high));
      }
    }
  }
  if (std::none_of(s.rivalries.begin(), s.rivalries.end(), [&](const auto& r) { return r.id == spec.rivalry; })) {
    problem({spec.scenario, 1, 1}, fmt::format("the scenario has no rivalry '{}'", spec.rivalry));
  }
  for (const auto& origin : spec.origins) {
    if (!scenario::quarter_offset(s, origin.quarter)) {
      problem({spec.scenario, 1, 1}, fmt::format("origin {} lies outside the scenario's time", origin.quarter));
    }
    for (const auto& q : origin.questions) {
      if (!q.policy.empty() && s.find_policy(q.policy) == nullptr) {
        problem({spec.scenario, 1, 1}, fmt::format("question '{}': the scenario has no policy '{}'", q.id, q.policy));
      }
      if (!scenario::quarter_offset(s, q.to)) {
        problem({spec.scenario, 1, 1}, fmt::format("question '{}' ends after the scenario's time", q.id));
      }
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

/// All grid points: the Cartesian product of the parameters' grids.
std::vector<std::vector<double>> grid_points(const std::vector<FreeParameter>& parameters) {
  std::vector<std::vector<double>> points{{}};
  for (const auto& p : parameters) {
    std::vector<std::vector<double>> next;
    for (const auto& point : points) {
      for (const double v : p.grid) {
        next.push_back(point);
        next.back().push_back(v);
      }
    }
    points = std::move(next);
  }
  return points;
}

}  // namespace

BaseRate find_base_rate(const datasets::CsvTable& table, int origin_year, const BaseRateRef& ref) {
  const std::size_t origin = table.column("origin_year"), event = table.column("event"),
                    first = table.column("window_first_year"), last = table.column("window_last_year"),
                    dyad_years = table.column("dyad_years"), onsets = table.column("onsets"),
                    value = table.column(ref.column);
  const bool at_risk = ref.column == "p_onset_at_risk";
  const std::size_t years_col = table.column(at_risk ? "dyad_years_at_risk" : "dyad_years");
  const std::size_t onsets_col = table.column(at_risk ? "onsets_at_risk" : "onsets");
  (void)dyad_years;
  (void)onsets;
  for (const auto& row : table.rows) {
    if (datasets::integer(table, row, origin) != origin_year || row.fields[event] != ref.event ||
        datasets::integer(table, row, first) != ref.window_first_year) {
      continue;
    }
    BaseRate rate;
    rate.annual = datasets::number(table, row, value);
    rate.window_first_year = ref.window_first_year;
    rate.window_last_year = static_cast<int>(datasets::integer(table, row, last));
    rate.dyad_years = static_cast<int>(datasets::integer(table, row, years_col));
    rate.onsets = static_cast<int>(datasets::integer(table, row, onsets_col));
    rate.event = ref.event;
    rate.column = ref.column;
    check_invariant(rate.window_last_year < origin_year, "a base rate uses only years before its origin");
    return rate;
  }
  throw InputError({table_problem(table, fmt::format("no base rate for origin {}, event {}, window from {}",
                                                     origin_year, ref.event, ref.window_first_year))});
}

BacktestResult run_backtest(const scenario::Scenario& scenario, const BacktestSpec& spec, const BacktestInputs& inputs,
                            std::uint64_t runs, unsigned threads, const ProgressFn& progress) {
  check_spec_against_scenario(scenario, spec);
  BacktestResult result{.runs = runs, .seed = spec.seed, .origins = {}};
  const auto points = grid_points(spec.parameters);
  for (const auto& origin_spec : spec.origins) {
    OriginResult origin;
    origin.origin = origin_spec.quarter;
    origin.origin_year = year_of(origin_spec.quarter);
    const int last_fit_year = origin.origin_year - 1;
    const int origin_offset = *scenario::quarter_offset(scenario, origin_spec.quarter);
    // What the fit aims at: only rows and years before the origin.
    for (const auto& target : spec.targets) {
      if (target.kind == CalibrationTarget::Kind::AnnualEventProbability) {
        const BaseRate rate = find_base_rate(inputs.base_rates, origin.origin_year, target.base_rate);
        origin.observed_targets.push_back(rate.annual);
        origin.observed_notes.push_back(fmt::format(
            "{} row origin {}, {}, {}..{}: {} = {:.4f} ({} onsets in {} rival dyad-years)", inputs.base_rates.file,
            origin.origin_year, rate.event, rate.window_first_year, rate.window_last_year, rate.column, rate.annual,
            rate.onsets, rate.dyad_years));
      } else {
        std::string note;
        origin.observed_targets.push_back(
            observed_share(inputs.data_files.at(target.data_file), target, last_fit_year, note));
        origin.observed_notes.push_back(note);
      }
    }
    // Fit and forecast share the runs: a grid point's forecast is kept only if its
    // pre-origin fit is the best, and the fit never looks at a quarter after the origin.
    std::vector<std::vector<Estimate>> plain_forecasts;
    for (std::size_t g = 0; g < points.size(); ++g) {
      if (progress) {
        progress(fmt::format("origin {}: grid point {}/{}", origin.origin, g + 1, points.size()));
      }
      scenario::Scenario fitted = scenario;
      for (std::size_t p = 0; p < spec.parameters.size(); ++p) set_free_value(fitted, spec.parameters[p], points[g][p]);
      fitted = scenario::forecast_from(std::move(fitted), origin_offset);
      const engine::Engine probe(fitted, "");
      const Lookup at(fitted, probe.catalog(), spec.rivalry);
      std::vector<SlotFn> slots;
      for (const auto& target : spec.targets) {
        slots.push_back(target.kind == CalibrationTarget::Kind::AnnualEventProbability
                            ? annual_event_probability(at, target, last_fit_year)
                            : import_share(at, target, last_fit_year));
      }
      for (const auto& q : origin_spec.questions) slots.push_back(question_outcome(at, q));
      const auto means = ensemble_means(fitted, "", runs, spec.seed, threads, slots.size(),
                                        [&](const engine::RunResult& run) {
                                          RunStats stats(slots.size());
                                          for (std::size_t s = 0; s < slots.size(); ++s) stats[s] = slots[s](run);
                                          return stats;
                                        });
      GridPoint point;
      point.values = points[g];
      point.targets.assign(means.begin(), means.begin() + static_cast<std::ptrdiff_t>(spec.targets.size()));
      point.loss = loss_of(point.targets, origin.observed_targets);
      origin.grid.push_back(std::move(point));
      plain_forecasts.emplace_back(means.begin() + static_cast<std::ptrdiff_t>(spec.targets.size()), means.end());
    }
    origin.best = static_cast<std::size_t>(
        std::min_element(origin.grid.begin(), origin.grid.end(),
                         [](const GridPoint& x, const GridPoint& y) { return x.loss < y.loss; }) -
        origin.grid.begin());
    // Questions asked under a policy are run once more, at the fitted values only.
    scenario::Scenario fitted = scenario;
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
      set_free_value(fitted, spec.parameters[p], points[origin.best][p]);
    }
    fitted = scenario::forecast_from(std::move(fitted), origin_offset);
    for (std::size_t i = 0; i < origin_spec.questions.size(); ++i) {
      const Question& q = origin_spec.questions[i];
      QuestionResult out;
      out.question = q;
      if (q.policy.empty()) {
        out.probability = plain_forecasts[origin.best][i];
      } else {
        if (progress) progress(fmt::format("origin {}: policy {}", origin.origin, q.policy));
        const engine::Engine probe(fitted, q.policy);
        const Lookup at(fitted, probe.catalog(), spec.rivalry);
        const SlotFn slot = question_outcome(at, q);
        out.probability = ensemble_means(fitted, q.policy, runs, spec.seed, threads, 1,
                                         [&](const engine::RunResult& run) { return RunStats{slot(run)}; })
                              .front();
      }
      out.probability.standard_error =
          std::max(out.probability.standard_error, frequency_standard_error(out.probability.value, runs));
      out.years = static_cast<double>(quarter_index(*scenario::parse_quarter(q.to)) -
                                      quarter_index(*scenario::parse_quarter(q.from)) + 1) /
                  4.0;
      out.base_rate = find_base_rate(inputs.base_rates, origin.origin_year, q.base_rate);
      out.base_rate_probability = probability_within(out.base_rate.annual, out.years);
      out.brier_model = brier_score(out.probability.value, q.happened);
      out.brier_model_se = brier_standard_error(out.probability.value, q.happened, out.probability.standard_error);
      out.brier_base_rate = brier_score(out.base_rate_probability, q.happened);
      out.brier_climatology = brier_score(0.5, q.happened);
      origin.questions.push_back(std::move(out));
    }
    result.origins.push_back(std::move(origin));
  }
  return result;
}

}  // namespace arbiter::validation
