#include "arbiter/scenario/schema_docs.hpp"

#include <set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arbiter/scenario/values.hpp"

namespace arbiter::scenario {

namespace {

using nlohmann::json;

constexpr double unbounded = 1e299;  // the tables' default range is +-1e300

bool has_min(const FieldSpec& f) { return f.min > -unbounded; }
bool has_max(const FieldSpec& f) { return f.max < unbounded; }

std::string type_label(FieldType type) {
  switch (type) {
    case FieldType::Number: return "number";
    case FieldType::Integer: return "integer";
    case FieldType::Text: return "text";
    case FieldType::Identifier: return "id";
    case FieldType::ActorRef: return "actor id";
    case FieldType::ActorList: return "list of actor ids";
    case FieldType::Quarter: return "quarter";
    case FieldType::Choice: return "choice";
    case FieldType::Boolean: return "boolean";
    case FieldType::Series: return "series";
    case FieldType::ActorNumberMap: return "actor -> number";
    case FieldType::Section: return "section";
    case FieldType::List: return "list";
    case FieldType::ParameterPath: return "parameter path";
    case FieldType::ParameterMap: return "parameter path -> number";
  }
  return "value";
}

/// A default as JSON: numbers and booleans as such, anything else as text.
json default_value(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  if (auto number = parse_number(text)) return *number;
  return std::string(text);
}

json number_schema(const FieldSpec& f) {
  json plain{{"type", "number"}};
  if (has_min(f)) plain["minimum"] = f.min;
  if (has_max(f)) plain["maximum"] = f.max;
  json choices = json::array({plain, {{"$ref", "#/$defs/quantity"}}, {{"$ref", "#/$defs/free_parameter"}}});
  if (f.uncertain_allowed) choices.push_back({{"$ref", "#/$defs/distribution"}});
  return {{"anyOf", choices}};
}

json source_property() { return {{"type", "string"}, {"description", "Where the number comes from"}}; }

json defs_common() {
  json defs;
  defs["identifier"] = {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{0,63}$"},
                        {"description", "Lower-case letters, digits and _, starting with a letter"}};
  defs["quarter"] = {{"anyOf", json::array({{{"type", "string"}, {"pattern", "^[0-9]{4}(Q[1-4])?$"}},
                                            {{"type", "integer"}, {"minimum", 1000}, {"maximum", 9999}}})},
                     {"description", "A quarter such as 1994Q2, or a year such as 1994 (its first quarter)"}};
  defs["unit"] = {{"type", "string"}, {"description", "Unit of the numbers; converted to the key's canonical unit"}};
  json units = json::array();
  for (const auto& unit : known_units()) units.push_back(unit);
  defs["unit"]["examples"] = units;
  defs["quantity"] = {{"type", "object"},
                      {"description", "A number with its unit and source"},
                      {"properties",
                       {{"value", {{"type", "number"}}}, {"unit", {{"$ref", "#/$defs/unit"}}}, {"source", source_property()}}},
                      {"required", json::array({"value"})},
                      {"additionalProperties", false}};
  defs["free_parameter"] = {
      {"type", "object"},
      {"description", "A parameter not taken from data, with the range it may be varied over and why"},
      {"properties",
       {{"value", {{"type", "number"}}},
        {"free", {{"type", "array"}, {"items", {{"type", "number"}}}, {"minItems", 2}, {"maxItems", 2}}},
        {"reason", {{"type", "string"}}},
        {"unit", {{"$ref", "#/$defs/unit"}}},
        {"source", source_property()}}},
      {"required", json::array({"value", "free", "reason"})},
      {"additionalProperties", false}};
  auto dist = [](std::string_view name, std::vector<std::string> parameters) {
    json properties{{"dist", {{"const", std::string(name)}}}, {"unit", {{"$ref", "#/$defs/unit"}}},
                    {"source", source_property()}};
    json required = json::array({"dist"});
    for (const auto& parameter : parameters) {
      properties[parameter] = {{"type", "number"}};
      required.push_back(parameter);
    }
    return json{{"type", "object"}, {"properties", properties}, {"required", required}, {"additionalProperties", false}};
  };
  defs["distribution"] = {{"description", "An uncertain number, drawn once per run"},
                          {"oneOf", json::array({dist("uniform", {"low", "high"}), dist("normal", {"mean", "sd"}),
                                                 dist("lognormal", {"median", "sigma_log"}),
                                                 dist("beta", {"mean", "sd"}),
                                                 dist("triangular", {"low", "mode", "high"})})}};
  defs["series"] = {
      {"description", "A number for all quarters, {YEAR or QUARTER: number, ...}, or a column of a CSV file"},
      {"anyOf",
       json::array({{{"type", "number"}},
                    {{"type", "object"},
                     {"properties",
                      {{"series", {{"type", "string"}, {"description", "CSV file relative to the scenario file"}}},
                       {"column", {{"type", "string"}}},
                       {"unit", {{"$ref", "#/$defs/unit"}}},
                       {"scale", {{"type", "number"}}},
                       {"source", source_property()}}},
                     {"required", json::array({"series", "column"})},
                     {"additionalProperties", false}},
                    {{"type", "object"},
                     {"properties", {{"unit", {{"$ref", "#/$defs/unit"}}}, {"source", source_property()}}},
                     {"patternProperties", {{"^[0-9]{4}(Q[1-4])?$", {{"type", "number"}}}}},
                     {"additionalProperties", false}}})}};
  defs["parameter_path"] = {{"type", "string"},
                            {"pattern", "^[a-z][a-z0-9_]*(\\.[a-z0-9_>-]+)+$"},
                            {"description", "A path naming a number, e.g. arms_trade.russia->armenia.price"}};
  return defs;
}

class SchemaWriter {
 public:
  json section(const SectionSpec& spec) {
    const std::string name(spec.name);
    if (!defs_.contains(name)) {
      defs_[name] = json::object();  // reserve the name before recursing
      defs_[name] = object(spec);
    }
    return {{"$ref", "#/$defs/" + name}};
  }

  json object(const SectionSpec& spec) {
    json properties = json::object();
    json required = json::array();
    for (const auto& f : spec.fields) {
      properties[std::string(f.key)] = field(f);
      if (f.required) required.push_back(std::string(f.key));
    }
    json result{{"type", "object"}, {"description", std::string(spec.doc)}, {"properties", properties},
                {"additionalProperties", false}};
    if (!required.empty()) result["required"] = required;
    return result;
  }

  json field(const FieldSpec& f) {
    json schema;
    switch (f.type) {
      case FieldType::Number: schema = number_schema(f); break;
      case FieldType::Integer:
        schema = {{"type", "integer"}};
        if (has_min(f)) schema["minimum"] = f.min;
        if (has_max(f)) schema["maximum"] = f.max;
        break;
      case FieldType::Text: schema = {{"type", "string"}}; break;
      case FieldType::Identifier:
      case FieldType::ActorRef: schema = {{"$ref", "#/$defs/identifier"}}; break;
      case FieldType::ActorList:
        schema = {{"type", "array"}, {"items", {{"$ref", "#/$defs/identifier"}}}, {"uniqueItems", true}};
        break;
      case FieldType::Quarter: schema = {{"$ref", "#/$defs/quarter"}}; break;
      case FieldType::Choice: {
        json choices = json::array();
        for (const auto& choice : f.choices) choices.push_back(std::string(choice));
        schema = {{"enum", choices}};
        break;
      }
      case FieldType::Boolean: schema = {{"type", "boolean"}}; break;
      case FieldType::Series: schema = {{"$ref", "#/$defs/series"}}; break;
      case FieldType::ActorNumberMap:
        schema = {{"type", "object"}, {"propertyNames", {{"$ref", "#/$defs/identifier"}}},
                  {"additionalProperties", number_schema(f)}};
        break;
      case FieldType::Section: schema = f.section ? section(*f.section) : json::object(); break;
      case FieldType::List:
        schema = {{"type", "array"}, {"items", f.section ? section(*f.section) : json::object()}};
        break;
      case FieldType::ParameterPath: schema = {{"$ref", "#/$defs/parameter_path"}}; break;
      case FieldType::ParameterMap: {
        FieldSpec any = f;
        any.min = -1e300;
        any.max = 1e300;
        schema = {{"type", "object"}, {"propertyNames", {{"$ref", "#/$defs/parameter_path"}}},
                  {"additionalProperties", number_schema(any)}};
        break;
      }
    }
    std::string description(f.doc);
    if (!f.unit.empty() && (f.type == FieldType::Number || f.type == FieldType::Series ||
                            f.type == FieldType::ActorNumberMap)) {
      description += fmt::format(" [{}]", f.unit);
      schema["x-unit"] = std::string(f.unit);
    }
    schema["description"] = description;
    if (!f.default_text.empty()) schema["default"] = default_value(f.default_text);
    return schema;
  }

  json defs_ = defs_common();
};

// ---- Markdown --------------------------------------------------------------------------

std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string range_text(const FieldSpec& f) {
  if (f.type != FieldType::Number && f.type != FieldType::Integer && f.type != FieldType::Series &&
      f.type != FieldType::ActorNumberMap) {
    return "";
  }
  if (has_min(f) && has_max(f)) return fmt::format("{} to {}", f.min, f.max);
  if (has_min(f)) return fmt::format("≥ {}", f.min);
  if (has_max(f)) return fmt::format("≤ {}", f.max);
  return "";
}

std::string anchor(std::string_view name) { return std::string(name); }

void markdown_section(const SectionSpec& spec, const std::string& path, std::string& out,
                      std::set<const SectionSpec*>& done) {
  if (!done.insert(&spec).second) return;
  out += fmt::format("\n## {} {{#{}}}\n\n", path, anchor(spec.name));
  out += fmt::format("{}.", spec.doc);
  if (!spec.key_field.empty()) out += fmt::format(" Each element is named by `{}`.", spec.key_field);
  out += "\n\n| Key | Type | Required | Default | Unit | Range | Description |\n";
  out += "|---|---|---|---|---|---|---|\n";
  std::vector<std::pair<const SectionSpec*, std::string>> children;
  for (const auto& f : spec.fields) {
    std::string type = type_label(f.type);
    if (f.type == FieldType::Choice) {
      std::string choices;
      for (const auto& choice : f.choices) choices += (choices.empty() ? "" : ", ") + fmt::format("`{}`", choice);
      type = "one of " + choices;
    } else if ((f.type == FieldType::Section || f.type == FieldType::List) && f.section != nullptr) {
      type = fmt::format("{} of [{}](#{})", f.type == FieldType::List ? "list" : "section", f.section->name,
                         anchor(f.section->name));
      children.emplace_back(f.section, f.type == FieldType::List ? path + "." + std::string(f.key) + "[]"
                                                                 : path + "." + std::string(f.key));
    } else if (f.type == FieldType::Number && !f.uncertain_allowed) {
      type = "number (fixed)";
    }
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", f.key, cell(type), f.required ? "yes" : "",
                       f.default_text.empty() ? "" : fmt::format("`{}`", cell(f.default_text)), cell(f.unit),
                       range_text(f), cell(f.doc));
  }
  for (const auto& [child, child_path] : children) markdown_section(*child, child_path, out, done);
}

constexpr std::string_view grammar = R"(
## Values

Every **number** key accepts:

- a plain number in the key's unit: `0.3`;
- a quantity in another unit: `{value: 30, unit: percent, source: "SIPRI 2020"}` (converted to the key's unit);
- a distribution drawn once per run, unless the key says *fixed*: `{dist: uniform, low: a, high: b}`,
  `{dist: normal, mean: m, sd: s}`, `{dist: lognormal, median: m, sigma_log: s}`, `{dist: beta, mean: m, sd: s}`,
  `{dist: triangular, low: a, mode: c, high: b}`; each may carry `unit:` and `source:`;
- a free parameter (not from data): `{value: x, free: [low, high], reason: "..."}`.

Numbers must be finite and lie in the key's range after conversion. Normal and lognormal distributions must stay
in range within 4 standard deviations.

A **series** is a number (the same in every quarter), an inline mapping `{1994: 1.2, 1995Q3: 1.4}` (with optional
`unit:` and `source:`), or a column of a CSV file: `{series: data/gdp.csv, column: armenia, unit: USD m, scale: 1}`,
with the file named relative to the scenario file. The CSV file has a header row, a first column `period` (YYYY
or YYYYQn), numeric value columns (an empty cell means no data) and an optional last column `source`.

A **quarter** is written `1994Q2`, or a year `1994` meaning its first quarter. An **id** is lower-case letters,
digits and `_`, starting with a letter. A **parameter path** names a number: `actors.russia.military.quality`,
`arms_trade.russia->armenia.price`, `parameters.war_onset.discount`.

Units: )";

}  // namespace

std::string json_schema(const SectionSpec& root) {
  SchemaWriter writer;
  json schema = writer.object(root);
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["title"] = std::string(root.name);
  schema["$defs"] = writer.defs_;
  return schema.dump(2) + "\n";
}

std::string markdown_reference(const SectionSpec& root) {
  std::string out = fmt::format("# Scenario format reference\n\n{}.\n\n"
                                "This file is generated by `arbiter schema --markdown` from the field tables; "
                                "do not edit it by hand.\n",
                                root.doc);
  out += grammar;
  std::string units;
  for (const auto& unit : known_units()) units += (units.empty() ? "" : ", ") + fmt::format("`{}`", unit);
  out += units + ".\n";
  std::set<const SectionSpec*> done;
  markdown_section(root, std::string(root.name), out, done);
  return out;
}

}  // namespace arbiter::scenario
