#pragma once

#include <map>
#include <string>
#include <vector>

#include "arbiter/datasets/csv.hpp"
#include "arbiter/validation/backtest.hpp"

// Renders the validation note from a template: prose stays as written, every figure comes
// from the backtest through {{placeholders}}, so the text and the numbers cannot drift apart.
namespace arbiter::validation {

/// A fitted parameter as the scenario file states it (its full-sample value).
struct ScenarioValue {
  std::string path;
  double value = 0.0;
  double free_low = 0.0, free_high = 0.0;
  std::string reason;
};

struct ReportContext {
  std::string command;                 // the exact command that regenerates the note
  std::string spec_file, scenario_file;
  const datasets::CsvTable* facts = nullptr;                   // the facts file, if the spec names one
  const std::map<std::string, datasets::CsvTable>* data_files = nullptr;  // for the questions' data cells
  std::vector<ScenarioValue> scenario_values;                  // one per fitted parameter, in spec order
};

/// The placeholders a template may use; rendering fails on any other `{{...}}`.
[[nodiscard]] const std::vector<std::string>& report_placeholders();

/// Fills the template; InputError (at the template's line) for an unknown or unclosed placeholder.
[[nodiscard]] std::string render_report(const std::string& template_text, const std::string& template_name,
                                        const BacktestSpec& spec, const BacktestResult& result,
                                        const ReportContext& context);

}  // namespace arbiter::validation
