#include "arbiter/validation/backtest_spec.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/scenario/values.hpp"
#include "arbiter/scenario/yaml_tree.hpp"

namespace arbiter::validation {

namespace {

using scenario::YamlNode;

/// Reads typed values off YAML nodes, collecting every problem instead of stopping at the first.
class Reader {
 public:
  std::vector<diagnostics::Diagnostic> problems;

  void fail(const YamlNode& node, std::string message, std::string expected = {}) {
    problems.push_back(scenario::error_at(node.where, "backtest.invalid", std::move(message), std::move(expected)));
  }

  /// Flags keys that are not in `allowed` (typos would otherwise be silently ignored).
  void only_keys(const YamlNode& map, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : map.entries) {
      if (std::find(allowed.begin(), allowed.end(), key.text) != allowed.end()) continue;
      std::vector<std::string> names(allowed.begin(), allowed.end());
      const std::string near = diagnostics::nearest(key.text, names);
      problems.push_back(scenario::error_at(key.where, "backtest.unknown-key",
                                            fmt::format("unknown key '{}'", scenario::quote_for_message(key.text)),
                                            {}, near.empty() ? "" : fmt::format("did you mean '{}'?", near)));
    }
  }

  const YamlNode* need(const YamlNode& map, std::string_view key) {
    const YamlNode* node = map.find(key);
    if (node == nullptr) fail(map, fmt::format("missing key '{}'", key));
    return node;
  }

  std::string text(const YamlNode& map, std::string_view key, bool required = true) {
    const YamlNode* node = required ? need(map, key) : map.find(key);
    if (node == nullptr) return {};
    if (!node->is_scalar() || node->text.empty()) {
      fail(*node, fmt::format("'{}' must be non-empty text", key));
      return {};
    }
    return node->text;
  }

  std::optional<double> number(const YamlNode& node, std::string_view what) {
    const auto value = node.is_scalar() && !node.quoted ? scenario::parse_number(node.text) : std::nullopt;
    if (!value) fail(node, fmt::format("'{}' must be a number", what));
    return value;
  }

  std::string quarter(const YamlNode& map, std::string_view key) {
    std::string value = text(map, key);
    if (!value.empty() && !scenario::parse_quarter(value)) {
      fail(*map.find(key), fmt::format("'{}' must be a quarter such as 2015Q1", key));
    }
    return value;
  }

  int year(const YamlNode& map, std::string_view key) {
    const YamlNode* node = need(map, key);
    if (node == nullptr) return 0;
    const auto value = number(*node, key);
    if (value && (*value != std::floor(*value) || *value < 1800 || *value > 2100)) {
      fail(*node, fmt::format("'{}' must be a year", key));
    }
    return value ? static_cast<int>(*value) : 0;
  }

  std::vector<std::string> texts(const YamlNode& map, std::string_view key, bool required) {
    const YamlNode* node = required ? need(map, key) : map.find(key);
    std::vector<std::string> out;
    if (node == nullptr) return out;
    if (!node->is_sequence()) {
      fail(*node, fmt::format("'{}' must be a list", key));
      return out;
    }
    for (const auto& item : node->items) {
      if (item.is_scalar() && !item.text.empty()) {
        out.push_back(item.text);
      } else {
        fail(item, fmt::format("items of '{}' must be text", key));
      }
    }
    return out;
  }

  std::vector<std::string> event_kinds(const YamlNode& map, std::string_view key) {
    auto kinds = texts(map, key, true);
    const auto& known = countable_event_kinds();
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      if (std::find(known.begin(), known.end(), kinds[i]) == known.end()) {
        fail(map.find(key)->items[i], fmt::format("'{}' is not an event kind a backtest counts", kinds[i]),
             "one of war_started, flare_up, full_war, offensive");
      }
    }
    return kinds;
  }

  BaseRateRef base_rate(const YamlNode& map) {
    BaseRateRef ref;
    const YamlNode* node = need(map, "base_rate");
    if (node == nullptr) return ref;
    if (!node->is_map()) {
      fail(*node, "'base_rate' must be a mapping {event, window_first_year, column}");
      return ref;
    }
    only_keys(*node, {"event", "window_first_year", "column"});
    ref.event = text(*node, "event");
    ref.window_first_year = year(*node, "window_first_year");
    ref.column = text(*node, "column");
    if (!ref.column.empty() && ref.column != "p_onset_per_dyad_year" && ref.column != "p_onset_at_risk") {
      fail(*node->find("column"), "'column' must name a probability column",
           "p_onset_per_dyad_year or p_onset_at_risk");
    }
    return ref;
  }
};

FreeParameter read_parameter(Reader& r, const YamlNode& node) {
  FreeParameter p;
  p.where = node.where;
  if (!node.is_map()) {
    r.fail(node, "a calibrated parameter must be a mapping {path, grid}");
    return p;
  }
  r.only_keys(node, {"path", "grid"});
  p.path = r.text(node, "path");
  const YamlNode* grid = r.need(node, "grid");
  if (grid != nullptr && (!grid->is_sequence() || grid->items.empty())) {
    r.fail(*grid, "'grid' must be a non-empty list of numbers");
  } else if (grid != nullptr) {
    for (const auto& item : grid->items) {
      if (const auto v = r.number(item, "grid")) p.grid.push_back(*v);
    }
  }
  return p;
}

CalibrationTarget read_target(Reader& r, const YamlNode& node) {
  CalibrationTarget t;
  if (!node.is_map()) {
    r.fail(node, "a calibration target must be a mapping");
    return t;
  }
  r.only_keys(node, {"id", "description", "kind", "first_year", "events", "base_rate", "recipient",
                     "excluded_supplier", "data"});
  t.id = r.text(node, "id");
  t.description = r.text(node, "description");
  t.first_year = r.year(node, "first_year");
  const std::string kind = r.text(node, "kind");
  if (kind == "annual_event_probability") {
    t.kind = CalibrationTarget::Kind::AnnualEventProbability;
    t.events = r.event_kinds(node, "events");
    t.base_rate = r.base_rate(node);
  } else if (kind == "import_share") {
    t.kind = CalibrationTarget::Kind::ImportShare;
    t.recipient = r.text(node, "recipient");
    t.excluded_supplier = r.text(node, "excluded_supplier");
    const YamlNode* data = r.need(node, "data");
    if (data != nullptr && data->is_map()) {
      r.only_keys(*data, {"file", "numerator", "denominator"});
      t.data_file = r.text(*data, "file");
      t.numerator = r.text(*data, "numerator");
      t.denominator = r.text(*data, "denominator");
    } else if (data != nullptr) {
      r.fail(*data, "'data' must be a mapping {file, numerator, denominator}");
    }
  } else if (!kind.empty()) {
    r.fail(*node.find("kind"), fmt::format("unknown target kind '{}'", kind),
           "annual_event_probability or import_share");
  }
  return t;
}

Question read_question(Reader& r, const YamlNode& node) {
  Question q;
  if (!node.is_map()) {
    r.fail(node, "a question must be a mapping");
    return q;
  }
  r.only_keys(node, {"id", "question", "policy", "events", "territory_change_below", "from", "to", "happened",
                     "outcome", "facts", "data_cells", "base_rate"});
  q.id = r.text(node, "id");
  q.text = r.text(node, "question");
  q.policy = r.text(node, "policy", false);
  q.events = r.event_kinds(node, "events");
  if (const YamlNode* below = node.find("territory_change_below")) q.territory_change_below = r.number(*below, "territory_change_below");
  q.from = r.quarter(node, "from");
  q.to = r.quarter(node, "to");
  if (const YamlNode* happened = r.need(node, "happened")) {
    if (happened->is_scalar() && (happened->text == "true" || happened->text == "false")) {
      q.happened = happened->text == "true";
    } else {
      r.fail(*happened, "'happened' must be true or false");
    }
  }
  q.outcome_note = r.text(node, "outcome");
  q.facts = r.texts(node, "facts", false);
  if (const YamlNode* cells = node.find("data_cells")) {
    if (!cells->is_sequence()) r.fail(*cells, "'data_cells' must be a list of {file, row, column}");
    for (const auto& cell : cells->items) {
      if (!cell.is_map()) {
        r.fail(cell, "a data cell must be a mapping {file, row: {COLUMN: VALUE, ...}, column}");
        continue;
      }
      r.only_keys(cell, {"file", "row", "column"});
      Question::DataCell out{.file = r.text(cell, "file"), .match = {}, .column = r.text(cell, "column")};
      const YamlNode* row = r.need(cell, "row");
      if (row != nullptr && row->is_map() && !row->entries.empty()) {
        for (const auto& [key, value] : row->entries) out.match.emplace_back(key.text, value.text);
      } else if (row != nullptr) {
        r.fail(*row, "'row' must be a mapping {COLUMN: VALUE, ...} that picks one row");
      }
      q.data_cells.push_back(std::move(out));
    }
  }
  if (q.facts.empty() && q.data_cells.empty()) {
    r.fail(node, fmt::format("question '{}' cites no evidence for its outcome", q.id), "facts: [...] or data_cells: [...]");
  }
  q.base_rate = r.base_rate(node);
  if (!q.from.empty() && !q.to.empty() &&
      scenario::quarter_index(*scenario::parse_quarter(q.from)) > scenario::quarter_index(*scenario::parse_quarter(q.to))) {
    r.fail(*node.find("to"), "'to' comes before 'from'");
  }
  return q;
}

}  // namespace

const std::vector<std::string>& countable_event_kinds() {
  static const std::vector<std::string> kinds = {"war_started", "flare_up", "full_war", "offensive"};
  return kinds;
}

BacktestSpec parse_backtest_spec(std::string_view text, const std::string& file_name) {
  auto parsed = scenario::parse_yaml(text, file_name);
  if (!parsed.root) throw InputError(std::move(parsed.diagnostics));
  const YamlNode& root = *parsed.root;
  Reader r;
  BacktestSpec spec;
  r.only_keys(root, {"name", "scenario", "rivalry", "base_rates", "facts", "template", "output", "runs", "seed",
                     "calibration", "origins"});
  spec.name = r.text(root, "name");
  spec.scenario = r.text(root, "scenario");
  spec.rivalry = r.text(root, "rivalry");
  spec.base_rates = r.text(root, "base_rates");
  spec.facts = r.text(root, "facts", false);
  spec.template_file = r.text(root, "template");
  spec.output = r.text(root, "output");
  for (const char* key : {"runs", "seed"}) {
    const YamlNode* node = r.need(root, key);
    if (node == nullptr) continue;
    const auto value = r.number(*node, key);
    if (value && (*value < 1 || *value != std::floor(*value) || *value > 1e15)) {
      r.fail(*node, fmt::format("'{}' must be a positive whole number", key));
    } else if (value) {
      (std::string_view(key) == "runs" ? spec.runs : spec.seed) = static_cast<std::uint64_t>(*value);
    }
  }
  if (const YamlNode* calibration = r.need(root, "calibration")) {
    r.only_keys(*calibration, {"parameters", "targets"});
    const YamlNode* parameters = r.need(*calibration, "parameters");
    const YamlNode* targets = r.need(*calibration, "targets");
    if (parameters != nullptr && parameters->is_sequence()) {
      for (const auto& item : parameters->items) spec.parameters.push_back(read_parameter(r, item));
    } else if (parameters != nullptr) {
      r.fail(*parameters, "'parameters' must be a list");
    }
    if (targets != nullptr && targets->is_sequence() && !targets->items.empty()) {
      for (const auto& item : targets->items) spec.targets.push_back(read_target(r, item));
    } else if (targets != nullptr) {
      r.fail(*targets, "'targets' must be a non-empty list");
    }
  }
  if (const YamlNode* origins = r.need(root, "origins")) {
    if (!origins->is_sequence() || origins->items.empty()) r.fail(*origins, "'origins' must be a non-empty list");
    std::set<std::string> ids;
    for (const auto& item : origins->items) {
      if (!item.is_map()) {
        r.fail(item, "an origin must be a mapping {origin, questions}");
        continue;
      }
      r.only_keys(item, {"origin", "questions"});
      Origin origin;
      origin.quarter = r.quarter(item, "origin");
      const YamlNode* questions = r.need(item, "questions");
      if (questions != nullptr && questions->is_sequence()) {
        for (const auto& q : questions->items) {
          origin.questions.push_back(read_question(r, q));
          const auto& added = origin.questions.back();
          if (!added.id.empty() && !ids.insert(added.id).second) r.fail(q, fmt::format("duplicate question id '{}'", added.id));
          if (!added.from.empty() && !origin.quarter.empty() &&
              scenario::quarter_index(*scenario::parse_quarter(added.from)) <
                  scenario::quarter_index(*scenario::parse_quarter(origin.quarter))) {
            r.fail(*q.find("from"), "a question's window must start at or after its origin (no hindsight)");
          }
        }
      } else if (questions != nullptr) {
        r.fail(*questions, "'questions' must be a list");
      }
      spec.origins.push_back(std::move(origin));
    }
  }
  if (!r.problems.empty()) throw InputError(std::move(r.problems));
  return spec;
}

}  // namespace arbiter::validation
