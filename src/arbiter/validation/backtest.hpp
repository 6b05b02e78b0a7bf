#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "arbiter/datasets/csv.hpp"
#include "arbiter/scenario/scenario.hpp"
#include "arbiter/validation/backtest_spec.hpp"

// The honest backtest: for each origin, fit the free parameters on data from before the
// origin only, then forecast the questions from the origin with everything later forgotten
// (scenario::forecast_from), and score the forecasts against what happened and against
// naive base rates. No file I/O here: the caller reads the files and passes their tables.
namespace arbiter::validation {

/// A Monte Carlo estimate and its standard error.
struct Estimate {
  double value = 0.0;
  double standard_error = 0.0;
};

/// One row of base_rates.csv, as used for a target or a question.
struct BaseRate {
  double annual = 0.0;  // the chosen probability column
  int window_first_year = 0, window_last_year = 0;
  int dyad_years = 0, onsets = 0;
  std::string event, column;
};

/// Everything the backtest reads besides the scenario, keyed by the spec's file names.
struct BacktestInputs {
  datasets::CsvTable base_rates;
  std::map<std::string, datasets::CsvTable> data_files;  // by the name the spec uses
};

struct TargetFit {
  Estimate model;
};

struct GridPoint {
  std::vector<double> values;      // one per FreeParameter, in spec order
  std::vector<Estimate> targets;   // the model's value of each target at these values
  double loss = 0.0;
};

struct QuestionResult {
  Question question;
  Estimate probability;           // the model's forecast
  double years = 0.0;             // length of the question's window
  BaseRate base_rate;
  double base_rate_probability = 0.0;  // 1 - (1 - annual)^years
  double brier_model = 0.0, brier_model_se = 0.0, brier_base_rate = 0.0, brier_climatology = 0.0;
};

struct OriginResult {
  std::string origin;
  int origin_year = 0;
  std::vector<double> observed_targets;      // what the fit aimed at, one per target
  std::vector<std::string> observed_notes;   // where each target value came from
  std::vector<GridPoint> grid;
  std::size_t best = 0;                      // index into grid of the lowest loss
  std::vector<QuestionResult> questions;
};

struct BacktestResult {
  std::uint64_t runs = 0;
  std::uint64_t seed = 0;
  std::vector<OriginResult> origins;
};

/// Reports progress (for a terminal); may be empty.
using ProgressFn = std::function<void(const std::string& what)>;

/// Looks up the row (origin_year, ref.event, ref.window_first_year) and its `ref.column`;
/// InputError naming the table when it is missing.
[[nodiscard]] BaseRate find_base_rate(const datasets::CsvTable& table, int origin_year, const BaseRateRef& ref);

/// Runs the whole backtest. `threads` = 0 uses every core.
[[nodiscard]] BacktestResult run_backtest(const scenario::Scenario& scenario, const BacktestSpec& spec,
                                          const BacktestInputs& inputs, std::uint64_t runs, unsigned threads,
                                          const ProgressFn& progress);

}  // namespace arbiter::validation
