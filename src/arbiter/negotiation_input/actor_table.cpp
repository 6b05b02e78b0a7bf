#include "arbiter/negotiation_input/actor_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::negotiation_input {

namespace {

using diagnostics::Diagnostic;
using diagnostics::InputLocation;

// A number as read, with where it was written.
struct Located {
  UncertainValue value;
  InputLocation where;
};

struct RawRow {
  std::string name;
  InputLocation where;  // the row (or list item)
  std::optional<Located> capability;
  std::vector<std::optional<Located>> position;  // per issue
  std::vector<std::optional<Located>> salience;
  std::optional<Located> risk;
};

struct Raw {
  std::vector<std::string> issues;
  std::vector<RawRow> rows;
};

Diagnostic error(InputLocation where, std::string message, std::string code, std::string expected = {},
                 std::string hint = {}) {
  return Diagnostic{.severity = Diagnostic::Severity::Error,
                    .location = std::move(where),
                    .message = std::move(message),
                    .expected = std::move(expected),
                    .hint = std::move(hint),
                    .code = std::move(code)};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A finite number, or a message saying why not.
std::optional<double> parse_number(std::string_view text, std::string& why) {
  text = trim(text);
  if (text.empty()) {
    why = "empty value";
    return std::nullopt;
  }
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    why = fmt::format("'{}' is not a number", text);
    return std::nullopt;
  }
  if (!std::isfinite(value)) {
    why = fmt::format("'{}' is not a finite number", text);
    return std::nullopt;
  }
  return value;
}

// `x` or `low..high`.
std::optional<UncertainValue> parse_value(std::string_view text, std::string& why) {
  const auto dots = text.find("..");
  if (dots == std::string_view::npos) {
    const auto v = parse_number(text, why);
    if (!v) return std::nullopt;
    return UncertainValue{*v, *v};
  }
  const auto low = parse_number(text.substr(0, dots), why);
  if (!low) return std::nullopt;
  const auto high = parse_number(text.substr(dots + 2), why);
  if (!high) return std::nullopt;
  if (*low > *high) {
    why = fmt::format("range '{}' has low > high", trim(text));
    return std::nullopt;
  }
  return UncertainValue{*low, *high};
}

// NUL bytes and control characters mean this is not a text table at all.
bool reject_binary(std::string_view text, const std::string& file, std::vector<Diagnostic>& problems) {
  int line = 1;
  int column = 1;
  for (unsigned char ch : text) {
    if (ch == '\n') {
      ++line;
      column = 1;
      continue;
    }
    if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7F) {
      problems.push_back(error({file, line, column}, fmt::format("binary byte 0x{:02X} in a text table", ch),
                               "negotiation.binary-input", "a CSV or YAML text file"));
      return true;
    }
    ++column;
  }
  return false;
}

// Semantic checks shared by both formats, then the table. Salience columns are on 0..1
// unless some value of the column exceeds 1: then the whole column is read as 0..100.
ActorTable finish(Raw& raw, const std::string& file, std::vector<Diagnostic>& problems) {
  ActorTable table;
  table.file = file;
  if (raw.rows.empty() && problems.empty())
    problems.push_back(error({file, 1, 1}, "no actors in the table", "negotiation.no-actors",
                             "at least one actor row"));
  std::map<std::string, InputLocation> seen;
  for (const auto& row : raw.rows) {
    if (row.name.empty()) {
      problems.push_back(error(row.where, "actor without a name", "negotiation.missing-name"));
    } else if (const auto [it, fresh] = seen.emplace(row.name, row.where); !fresh) {
      problems.push_back(error(row.where, fmt::format("duplicate actor name '{}'", row.name),
                               "negotiation.duplicate-actor", "unique names",
                               fmt::format("first defined at line {}", it->second.line)));
    }
    if (row.capability && row.capability->value.low <= 0.0)
      problems.push_back(error(row.capability->where,
                               fmt::format("capability {} is not positive", row.capability->value.low),
                               "negotiation.capability-range", "capability > 0"));
    if (row.risk && row.risk->value.low <= 0.0)
      problems.push_back(error(row.risk->where, fmt::format("risk exponent {} is not positive", row.risk->value.low),
                               "negotiation.risk-range", "risk exponent > 0 (BDM's range is 0.5..2)"));
  }
  std::vector<double> scale(raw.issues.size(), 1.0);
  for (std::size_t issue = 0; issue < raw.issues.size(); ++issue) {
    double largest = 0.0;
    for (const auto& row : raw.rows)
      if (row.salience[issue]) largest = std::max(largest, row.salience[issue]->value.high);
    if (largest > 1.0) scale[issue] = 0.01;
    for (const auto& row : raw.rows) {
      if (!row.salience[issue]) continue;
      const auto& s = *row.salience[issue];
      if (s.value.low < 0.0 || s.value.high > 100.0)
        problems.push_back(error(s.where, fmt::format("salience {} is outside [0, 1] and [0, 100]",
                                                      s.value.low < 0.0 ? s.value.low : s.value.high),
                                 "negotiation.salience-range", "a fraction in [0, 1] or a percentage in [0, 100]"));
    }
  }
  if (diagnostics::has_errors(problems)) throw InputError(problems);

  for (std::size_t issue = 0; issue < raw.issues.size(); ++issue) table.issues.push_back(Issue{raw.issues[issue], {}, {}});
  for (const auto& row : raw.rows) {
    table.names.push_back(row.name);
    table.capability.push_back(row.capability->value);
    table.risk_exponent.push_back(row.risk ? std::optional(row.risk->value) : std::nullopt);
    for (std::size_t issue = 0; issue < raw.issues.size(); ++issue) {
      table.issues[issue].position.push_back(row.position[issue]->value);
      const auto s = row.salience[issue]->value;
      table.issues[issue].salience.push_back({s.low * scale[issue], s.high * scale[issue]});
    }
  }
  return table;
}

// ---------------------------------------------------------------- CSV

struct Field {
  std::string text;
  int column = 1;
};

// One CSV line into fields; double quotes protect commas. Returns false on an open quote.
bool split_csv(std::string_view line, std::vector<Field>& fields) {
  fields.clear();
  Field field;
  bool quoted = false;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char ch = line[k];
    if (ch == '"') {
      if (quoted && k + 1 < line.size() && line[k + 1] == '"') {
        field.text += '"';
        ++k;
      } else {
        quoted = !quoted;
      }
    } else if (ch == ',' && !quoted) {
      fields.push_back(std::move(field));
      field = Field{{}, static_cast<int>(k) + 2};
    } else {
      field.text += ch;
    }
  }
  fields.push_back(std::move(field));
  // The column of a field points at its first non-blank character.
  for (auto& f : fields) {
    const auto lead = f.text.find_first_not_of(" \t");
    if (lead != std::string::npos) f.column += static_cast<int>(lead);
    f.text = std::string(trim(f.text));
  }
  return !quoted;
}

enum class Role { Name, Capability, Position, Salience, Risk, Unknown };

}  // namespace

ActorTable parse_actor_csv(std::string_view text, const std::string& file) {
  std::vector<Diagnostic> problems;
  if (reject_binary(text, file, problems)) throw InputError(problems);
  if (trim(text).empty() || text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError({error({file, 1, 1}, "the file is empty", "negotiation.empty-file",
                            "a header row name,capability,position,salience")});

  Raw raw;
  std::vector<Role> roles;
  std::vector<std::size_t> issue_of;  // per column
  std::vector<Field> fields;
  bool have_header = false;
  int header_line = 0;
  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (trim(line).empty() || trim(line).front() == '#') continue;  // blank lines and comments
    if (!split_csv(line, fields)) {
      problems.push_back(error({file, line_number, static_cast<int>(line.size())}, "unterminated double quote",
                               "negotiation.csv-quote"));
      continue;
    }
    if (!have_header) {
      have_header = true;
      header_line = line_number;
      std::map<std::string, int> position_columns, salience_columns;
      std::set<std::string> seen;
      bool has_name = false, has_capability = false;
      for (std::size_t c = 0; c < fields.size(); ++c) {
        std::string key = fields[c].text;
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
        const InputLocation at{file, line_number, fields[c].column};
        if (!seen.insert(key).second)
          problems.push_back(error(at, fmt::format("column '{}' appears twice", key), "negotiation.duplicate-column"));
        Role role = Role::Unknown;
        std::string issue;
        if (key == "name" || key == "actor") role = Role::Name, has_name = true;
        else if (key == "capability") role = Role::Capability, has_capability = true;
        else if (key == "risk" || key == "risk_exponent") role = Role::Risk;
        else if (key == "position") role = Role::Position;
        else if (key == "salience") role = Role::Salience;
        else if (key.starts_with("position_") && key.size() > 9) role = Role::Position, issue = key.substr(9);
        else if (key.starts_with("salience_") && key.size() > 9) role = Role::Salience, issue = key.substr(9);
        if (role == Role::Unknown) {
          const auto near = diagnostics::nearest(key, {"name", "capability", "position", "salience", "risk"});
          problems.push_back(error(at, fmt::format("unknown column '{}'", fields[c].text), "negotiation.unknown-column",
                                   "name, capability, position[_ISSUE], salience[_ISSUE] or risk",
                                   near.empty() ? std::string() : fmt::format("did you mean '{}'?", near)));
        }
        std::size_t issue_index = 0;
        if (role == Role::Position || role == Role::Salience) {
          auto found = std::find(raw.issues.begin(), raw.issues.end(), issue);
          if (found == raw.issues.end()) found = raw.issues.insert(raw.issues.end(), issue);
          issue_index = static_cast<std::size_t>(found - raw.issues.begin());
          (role == Role::Position ? position_columns : salience_columns)[issue] = fields[c].column;
        }
        roles.push_back(role);
        issue_of.push_back(issue_index);
      }
      const InputLocation header{file, line_number, 1};
      if (!has_name) problems.push_back(error(header, "missing column 'name'", "negotiation.missing-column"));
      if (!has_capability) problems.push_back(error(header, "missing column 'capability'", "negotiation.missing-column"));
      if (raw.issues.empty())
        problems.push_back(error(header, "no position/salience columns", "negotiation.missing-column",
                                 "position and salience, or position_ISSUE and salience_ISSUE pairs"));
      for (const auto& issue : raw.issues) {
        const std::string suffix = issue.empty() ? "" : "_" + issue;
        if (!position_columns.contains(issue))
          problems.push_back(error({file, line_number, salience_columns[issue]},
                                   fmt::format("column 'salience{}' has no 'position{}'", suffix, suffix),
                                   "negotiation.missing-column"));
        if (!salience_columns.contains(issue))
          problems.push_back(error({file, line_number, position_columns[issue]},
                                   fmt::format("column 'position{}' has no 'salience{}'", suffix, suffix),
                                   "negotiation.missing-column"));
      }
      if (std::count(raw.issues.begin(), raw.issues.end(), std::string()) > 0 && raw.issues.size() > 1)
        problems.push_back(error(header, "plain 'position'/'salience' mixed with per-issue columns",
                                 "negotiation.mixed-issues", "either one issue or only position_ISSUE columns"));
      if (!problems.empty()) throw InputError(problems);  // rows cannot be read without a header
      continue;
    }

    RawRow row;
    row.where = {file, line_number, 1};
    row.position.resize(raw.issues.size());
    row.salience.resize(raw.issues.size());
    if (fields.size() != roles.size()) {
      problems.push_back(error({file, line_number, fields.back().column},
                               fmt::format("row has {} fields but the header (line {}) has {}", fields.size(),
                                           header_line, roles.size()),
                               "negotiation.field-count"));
      continue;
    }
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const InputLocation at{file, line_number, fields[c].column};
      if (roles[c] == Role::Name) {
        row.name = fields[c].text;
        row.where = at;
        continue;
      }
      if (roles[c] == Role::Risk && fields[c].text.empty()) continue;  // risk is optional per actor
      std::string why;
      const auto value = parse_value(fields[c].text, why);
      if (!value) {
        problems.push_back(error(at, fmt::format("{}: {}", fields[c].text.empty() ? "missing value" : "bad value", why),
                                 fields[c].text.empty() ? "negotiation.missing-field" : "negotiation.not-a-number",
                                 "a finite number or a range low..high"));
        continue;
      }
      const Located located{*value, at};
      switch (roles[c]) {
        case Role::Capability: row.capability = located; break;
        case Role::Position: row.position[issue_of[c]] = located; break;
        case Role::Salience: row.salience[issue_of[c]] = located; break;
        case Role::Risk: row.risk = located; break;
        default: break;
      }
    }
    const bool complete = row.capability &&
                          std::all_of(row.position.begin(), row.position.end(), [](auto& v) { return v.has_value(); }) &&
                          std::all_of(row.salience.begin(), row.salience.end(), [](auto& v) { return v.has_value(); });
    // Rows with bad numbers were reported already; keep them out of the semantic checks.
    if (complete) raw.rows.push_back(std::move(row));
  }
  return finish(raw, file, problems);
}

// ---------------------------------------------------------------- YAML

namespace {

InputLocation location_of(const YAML::Node& node, const std::string& file) {
  const auto mark = node.Mark();
  return {file, mark.line + 1, mark.column + 1};
}

std::optional<Located> yaml_value(const YAML::Node& node, const std::string& file, std::vector<Diagnostic>& problems) {
  const auto at = location_of(node, file);
  std::string why;
  if (node.IsScalar()) {
    const auto v = parse_number(node.Scalar(), why);
    if (v) return Located{{*v, *v}, at};
  } else if (node.IsSequence() && node.size() == 2 && node[0].IsScalar() && node[1].IsScalar()) {
    const auto low = parse_number(node[0].Scalar(), why);
    const auto high = low ? parse_number(node[1].Scalar(), why) : std::nullopt;
    if (low && high && *low <= *high) return Located{{*low, *high}, at};
    if (low && high) why = "range has low > high";
  } else {
    why = "not a number or a [low, high] range";
  }
  problems.push_back(error(at, fmt::format("bad value: {}", why), "negotiation.not-a-number",
                           "a finite number or [low, high]"));
  return std::nullopt;
}

}  // namespace

ActorTable parse_actor_yaml(std::string_view text, const std::string& file) {
  std::vector<Diagnostic> problems;
  if (reject_binary(text, file, problems)) throw InputError(problems);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw InputError({error({file, std::max(1, e.mark.line + 1), std::max(1, e.mark.column + 1)}, fmt::format("YAML syntax: {}", e.msg),
                            "negotiation.yaml-syntax")});
  }
  if (!root || root.IsNull())
    throw InputError({error({file, 1, 1}, "the file is empty", "negotiation.empty-file", "a map with 'actors:'")});
  if (!root.IsMap())
    throw InputError({error(location_of(root, file), "the top level is not a map", "negotiation.yaml-shape",
                            "a map with 'actors:'")});
  for (const auto& entry : root) {
    const auto key = entry.first.as<std::string>("");
    if (key != "actors")
      problems.push_back(error(location_of(entry.first, file), fmt::format("unknown key '{}'", key),
                               "negotiation.unknown-key", "actors"));
  }
  const auto list = root["actors"];
  if (!list || !list.IsSequence()) {
    problems.push_back(error(location_of(root, file), "'actors' missing or not a list", "negotiation.yaml-shape",
                             "actors: a list of maps"));
    throw InputError(problems);
  }

  Raw raw;
  // Issue names: from the first actor whose position is a map; a scalar position means one unnamed issue.
  for (const auto& item : list) {
    if (item.IsMap() && item["position"] && item["position"].IsMap()) {
      for (const auto& p : item["position"]) raw.issues.push_back(p.first.as<std::string>(""));
      break;
    }
  }
  if (raw.issues.empty()) raw.issues.emplace_back();
  const bool named = !raw.issues.front().empty();
  for (const auto& item : list) {
    const auto at = location_of(item, file);
    if (!item.IsMap()) {
      problems.push_back(error(at, "actor entry is not a map", "negotiation.yaml-shape",
                               "name, capability, position, salience[, risk]"));
      continue;
    }
    RawRow row;
    row.where = at;
    row.position.resize(raw.issues.size());
    row.salience.resize(raw.issues.size());
    bool complete = true;
    for (const auto& entry : item) {
      const auto key = entry.first.as<std::string>("");
      if (key != "name" && key != "capability" && key != "position" && key != "salience" && key != "risk") {
        const auto near = diagnostics::nearest(key, {"name", "capability", "position", "salience", "risk"});
        problems.push_back(error(location_of(entry.first, file), fmt::format("unknown key '{}'", key),
                                 "negotiation.unknown-key", "name, capability, position, salience or risk",
                                 near.empty() ? std::string() : fmt::format("did you mean '{}'?", near)));
      }
    }
    if (item["name"] && item["name"].IsScalar()) row.name = item["name"].Scalar();
    for (const char* key : {"name", "capability", "position", "salience"}) {
      if (!item[key]) {
        problems.push_back(error(at, fmt::format("missing '{}'", key), "negotiation.missing-field"));
        complete = false;
      }
    }
    if (item["capability"]) {
      row.capability = yaml_value(item["capability"], file, problems);
      complete = complete && row.capability.has_value();
    }
    if (item["risk"]) row.risk = yaml_value(item["risk"], file, problems);
    for (const char* key : {"position", "salience"}) {
      const auto node = item[key];
      if (!node) continue;
      auto& slots = std::string_view(key) == "position" ? row.position : row.salience;
      if (!named) {
        slots[0] = yaml_value(node, file, problems);
        complete = complete && slots[0].has_value();
        continue;
      }
      if (!node.IsMap()) {
        problems.push_back(error(location_of(node, file), fmt::format("'{}' must map issue names to values", key),
                                 "negotiation.yaml-shape", fmt::format("one value for each of the issues")));
        complete = false;
        continue;
      }
      for (const auto& p : node) {
        const auto issue = p.first.as<std::string>("");
        if (std::find(raw.issues.begin(), raw.issues.end(), issue) == raw.issues.end())
          problems.push_back(error(location_of(p.first, file), fmt::format("unknown issue '{}'", issue),
                                   "negotiation.unknown-issue", fmt::format("one of the issues of the first actor")));
      }
      for (std::size_t k = 0; k < raw.issues.size(); ++k) {
        if (!node[raw.issues[k]]) {
          problems.push_back(error(location_of(node, file), fmt::format("'{}' has no value for issue '{}'", key,
                                                                        raw.issues[k]),
                                   "negotiation.missing-field"));
          complete = false;
          continue;
        }
        slots[k] = yaml_value(node[raw.issues[k]], file, problems);
        complete = complete && slots[k].has_value();
      }
    }
    if (complete) raw.rows.push_back(std::move(row));
  }
  return finish(raw, file, problems);
}

ActorTable load_actor_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError({error({path, 0, 0}, "cannot open the file", "negotiation.unreadable", "a readable CSV or YAML file")});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (path.ends_with(".yaml") || path.ends_with(".yml")) return parse_actor_yaml(text, path);
  return parse_actor_csv(text, path);
}

bool ActorTable::has_ranges() const {
  const auto ranged = [](const UncertainValue& v) { return !v.is_fixed(); };
  if (std::any_of(capability.begin(), capability.end(), ranged)) return true;
  for (const auto& r : risk_exponent)
    if (r && ranged(*r)) return true;
  for (const auto& issue : issues)
    if (std::any_of(issue.position.begin(), issue.position.end(), ranged) ||
        std::any_of(issue.salience.begin(), issue.salience.end(), ranged))
      return true;
  return false;
}

std::size_t ActorTable::issue_index(const std::string& name) const {
  std::vector<std::string> choices;
  for (std::size_t k = 0; k < issues.size(); ++k) {
    if (issues[k].name == name) return k;
    choices.push_back(issues[k].name);
  }
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + (c.empty() ? std::string("(unnamed)") : c);
  throw InputError({error({file, 0, 0}, fmt::format("no issue '{}' in the table", name), "negotiation.unknown-issue",
                          list, diagnostics::nearest(name, choices).empty()
                                    ? std::string()
                                    : fmt::format("did you mean '{}'?", diagnostics::nearest(name, choices)))});
}

std::vector<negotiation::NegotiationActor> ActorTable::actors(std::size_t issue) const {
  const auto mid = [](const UncertainValue& v) { return 0.5 * (v.low + v.high); };
  std::vector<negotiation::NegotiationActor> out;
  for (std::size_t k = 0; k < names.size(); ++k) {
    out.push_back({names[k], mid(capability[k]), mid(issues.at(issue).position[k]), mid(issues.at(issue).salience[k]),
                   risk_exponent[k] ? std::optional(mid(*risk_exponent[k])) : std::nullopt});
  }
  return out;
}

std::vector<negotiation::UncertainActor> ActorTable::uncertain_actors(std::size_t issue) const {
  std::vector<negotiation::UncertainActor> out;
  for (std::size_t k = 0; k < names.size(); ++k)
    out.push_back({names[k], capability[k], issues.at(issue).position[k], issues.at(issue).salience[k], risk_exponent[k]});
  return out;
}

}  // namespace arbiter::negotiation_input
