#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"

// The backtest spec (scenarios/<case>/backtest.yaml): which scenario, which free parameters
// to fit on what pre-origin targets, and which questions to forecast from which origins
// with what observed outcomes. File names in it are relative to the spec's folder.
namespace arbiter::validation {

/// A row of the naive-baseline table (scenarios/validation/base_rates.csv) by its keys; the
/// origin year comes from the backtest origin, so only years before it are ever used.
struct BaseRateRef {
  std::string event;          // e.g. war_onset_ucdp
  int window_first_year = 0;  // 1816 or 1946
  std::string column;         // p_onset_per_dyad_year or p_onset_at_risk
};

struct FreeParameter {
  std::string path;           // a scenario parameter path marked free, e.g. rivalries.karabakh.war_cost_challenger
  std::vector<double> grid;   // values tried, each inside the parameter's free range
  diagnostics::InputLocation where;
};

struct CalibrationTarget {
  enum class Kind { AnnualEventProbability, ImportShare };
  std::string id, description;
  Kind kind = Kind::AnnualEventProbability;
  int first_year = 0;  // the fit window runs from here to the year before the origin
  // AnnualEventProbability: share of simulated years with at least one of `events`,
  // matched to a base rate.
  std::vector<std::string> events;
  BaseRateRef base_rate;
  // ImportShare: the recipient's deliveries from all suppliers but `excluded_supplier`
  // over all its deliveries, matched to sum(numerator) / sum(denominator) in a data file.
  std::string recipient, excluded_supplier, data_file, numerator, denominator;
};

struct Question {
  std::string id, text;
  std::string policy;                  // empty = the plain forecast
  std::vector<std::string> events;     // any of these event kinds in the window counts
  // and also a net change of the defender's control over the window (the sum of its
  // territory_change events) below this value: a gain that was later lost does not count
  std::optional<double> territory_change_below;
  std::string from, to;                // quarters, inclusive
  bool happened = false;
  std::string outcome_note;            // what happened, in words
  std::vector<std::string> facts;      // ids of rows of the facts file that record the outcome
  struct DataCell {
    std::string file;
    std::vector<std::pair<std::string, std::string>> match;  // column = value pairs that pick the row
    std::string column;
  };
  std::vector<DataCell> data_cells;    // cells of derived data files that record the outcome
  BaseRateRef base_rate;
};

struct Origin {
  std::string quarter;  // e.g. 2015Q1
  std::vector<Question> questions;
};

struct BacktestSpec {
  std::string name;
  std::string scenario, base_rates, facts, template_file, output;  // paths relative to the spec
  std::string rivalry;
  std::uint64_t runs = 400;
  std::uint64_t seed = 1;
  std::vector<FreeParameter> parameters;
  std::vector<CalibrationTarget> targets;
  std::vector<Origin> origins;
};

/// Parses and checks the spec; throws InputError listing every problem with FILE:LINE:COL.
[[nodiscard]] BacktestSpec parse_backtest_spec(std::string_view text, const std::string& file_name);

/// Event kinds a question or target may name (the engine's event kinds that mark wars).
[[nodiscard]] const std::vector<std::string>& countable_event_kinds();

}  // namespace arbiter::validation
