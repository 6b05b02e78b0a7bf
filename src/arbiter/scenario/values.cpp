#include "arbiter/scenario/values.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <unordered_map>

#include <fmt/format.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/rng/distributions.hpp"
#include "arbiter/scenario/series_csv.hpp"

namespace arbiter::scenario {

using diagnostics::Diagnostic;
using diagnostics::InputLocation;

namespace {

struct UnitInfo {
  std::string_view name;
  std::string_view dimension;
  double factor;  // relative to the dimension's base unit
};

constexpr std::array unit_table{
    UnitInfo{"USD bn", "money", 1e9},   UnitInfo{"USD m", "money", 1e6},    UnitInfo{"USD", "money", 1.0},
    UnitInfo{"fraction", "share", 1.0}, UnitInfo{"percent", "share", 0.01}, UnitInfo{"%", "share", 0.01},
    UnitInfo{"1/yr", "rate", 1.0},      UnitInfo{"1/quarter", "rate", 4.0},
    UnitInfo{"percent/yr", "rate", 0.01}, UnitInfo{"percent/quarter", "rate", 0.04}, UnitInfo{"years", "duration", 1.0},
    UnitInfo{"quarters", "duration", 0.25}, UnitInfo{"persons", "persons", 1.0}, UnitInfo{"TIV m", "tiv", 1.0},
    UnitInfo{"TIV bn", "tiv", 1000.0},  UnitInfo{"1/day", "rate", 365.25},  UnitInfo{"days", "duration", 1.0 / 365.25},
    UnitInfo{"USD bn/yr", "money_rate", 1e9}, UnitInfo{"USD m/yr", "money_rate", 1e6}, UnitInfo{"USD/yr", "money_rate", 1.0},  UnitInfo{"index", "index", 1.0},   UnitInfo{"", "dimensionless", 1.0},
};

const UnitInfo* find_unit(std::string_view name) {
  for (const auto& unit : unit_table) {
    if (unit.name == name) return &unit;
  }
  return nullptr;
}

std::string show_unit(std::string_view unit) { return unit.empty() ? "no unit" : fmt::format("'{}'", unit); }

std::string show_number(double x) { return fmt::format("{}", x); }

/// Collects problems about the nodes of one value.
struct Sink {
  Problems& problems;
  std::size_t count_before = problems.size();

  void error(const InputLocation& where, std::string code, std::string message, std::string expected = {},
             std::string hint = {}) const {
    problems.push_back(error_at(where, std::move(code), std::move(message), std::move(expected), std::move(hint)));
  }
  [[nodiscard]] bool ok() const { return problems.size() == count_before; }
};

std::string describe_node(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::Null: return "nothing";
    case YamlNode::Kind::Sequence: return "a list";
    case YamlNode::Kind::Map: return "a mapping";
    case YamlNode::Kind::Scalar: break;
  }
  return node.quoted ? fmt::format("the text {}", quote_for_message(node.text)) : quote_for_message(node.text);
}

bool is_non_finite_spelling(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) lower.erase(0, 1);
  return lower == ".nan" || lower == ".inf" || lower == "nan" || lower == "inf" || lower == "infinity";
}

/// A plain number node; reports and returns nullopt otherwise.
std::optional<double> number_at(const YamlNode& node, const Sink& sink, std::string_view what) {
  if (node.kind == YamlNode::Kind::Scalar && !node.quoted) {
    if (auto number = parse_number(node.text)) return number;
    if (is_non_finite_spelling(node.text)) {
      sink.error(node.where, "scenario.not-finite", fmt::format("{} is {}, not a finite number", what, node.text),
                 "a finite number");
      return std::nullopt;
    }
    std::string_view body = node.text;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
    double ignored = 0;
    const auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), ignored);
    if (error == std::errc::result_out_of_range && end == body.data() + body.size()) {
      sink.error(node.where, "scenario.not-finite",
                 fmt::format("{} {} is too large or too small to represent", what, quote_for_message(node.text)),
                 "a finite number");
      return std::nullopt;
    }
  }
  std::string hint;
  if (node.kind == YamlNode::Kind::Scalar && node.quoted && parse_number(node.text)) {
    hint = "remove the quotes: quoted values are text";
  }
  sink.error(node.where, "scenario.type", fmt::format("{} is {}", what, describe_node(node)), "a number",
             std::move(hint));
  return std::nullopt;
}

std::optional<std::string> text_at(const YamlNode& node, const Sink& sink, std::string_view what) {
  if (node.kind == YamlNode::Kind::Scalar) return node.text;
  sink.error(node.where, "scenario.type", fmt::format("{} is {}", what, describe_node(node)), "a text");
  return std::nullopt;
}

void check_keys(const YamlNode& map, std::initializer_list<std::string_view> allowed, const Sink& sink,
                std::string_view form) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& [key, value] : map.entries) {
    if (std::find(names.begin(), names.end(), key.text) != names.end()) continue;
    std::string hint;
    if (key.text.size() <= 64) {
      if (auto near = diagnostics::nearest(key.text, names); !near.empty()) hint = fmt::format("did you mean '{}'?", near);
    }
    std::string expected;
    for (const auto& name : names) expected += (expected.empty() ? "" : ", ") + name;
    sink.error(key.where, "scenario.unknown-key",
               fmt::format("unknown key {} in {}", quote_for_message(key.text), form), "one of: " + expected,
               std::move(hint));
  }
}

const YamlNode* required(const YamlNode& map, std::string_view key, const Sink& sink, std::string_view form) {
  const YamlNode* found = map.find(key);
  if (found == nullptr) {
    sink.error(map.where, "scenario.missing-key", fmt::format("{} needs the key '{}'", form, key));
  }
  return found;
}

bool in_range(double x, const FieldSpec& field) { return x >= field.min && x <= field.max; }

void check_range(double x, const InputLocation& where, const FieldSpec& field, const Sink& sink,
                 std::string_view what) {
  if (!in_range(x, field)) {
    sink.error(where, "scenario.range",
               fmt::format("{} is {}, outside the allowed range of '{}'", what, show_number(x), field.key),
               describe_range(field));
  }
}

/// The factor from the unit named in `map` (if any) to the field's unit.
std::optional<double> unit_conversion(const YamlNode& map, const FieldSpec& field, const Sink& sink) {
  const YamlNode* unit_node = map.find("unit");
  if (unit_node == nullptr) return 1.0;
  const auto unit = text_at(*unit_node, sink, "the unit");
  if (!unit) return std::nullopt;
  if (*unit == field.unit) return 1.0;
  if (!is_known_unit(*unit)) {
    std::string hint;
    if (unit->size() <= 64) {
      if (auto near = diagnostics::nearest(*unit, known_units()); !near.empty()) hint = fmt::format("did you mean '{}'?", near);
    }
    sink.error(unit_node->where, "scenario.unit", fmt::format("unknown unit {}", quote_for_message(*unit)),
               fmt::format("a unit convertible to {}", show_unit(field.unit)), std::move(hint));
    return std::nullopt;
  }
  auto factor = unit_factor(*unit, field.unit);
  if (!factor) {
    sink.error(unit_node->where, "scenario.unit",
               fmt::format("the unit {} cannot be converted to {}, the unit of '{}'", show_unit(*unit),
                           show_unit(field.unit), field.key),
               fmt::format("a unit convertible to {}", show_unit(field.unit)));
  }
  return factor;
}

std::string source_of(const YamlNode& map, const Sink& sink) {
  const YamlNode* node = map.find("source");
  if (node == nullptr) return {};
  return text_at(*node, sink, "the source").value_or("");
}

bool is_mapping_quantity(const YamlNode& node) {
  return node.kind == YamlNode::Kind::Map &&
         (node.find("value") != nullptr || node.find("dist") != nullptr || node.find("free") != nullptr);
}

void read_distribution(const YamlNode& map, const FieldSpec& field, Quantity& quantity, double factor,
                       const Sink& sink) {
  const YamlNode& dist_node = *map.find("dist");
  const auto kind_text = text_at(dist_node, sink, "the distribution");
  if (!kind_text) return;
  static constexpr std::array kinds{std::string_view{"uniform"}, std::string_view{"normal"},
                                    std::string_view{"lognormal"}, std::string_view{"beta"},
                                    std::string_view{"triangular"}};
  auto param = [&](std::string_view key, bool scaled) -> std::optional<double> {
    const YamlNode* node = required(map, key, sink, fmt::format("a {} distribution", *kind_text));
    if (node == nullptr) return std::nullopt;
    auto x = number_at(*node, sink, fmt::format("'{}'", key));
    if (x && scaled) *x *= factor;
    return x;
  };
  auto where = [&](std::string_view key) { return map.find(key)->where; };
  const std::string form = fmt::format("a {} distribution", *kind_text);
  Distribution& d = quantity.distribution;
  if (*kind_text == "uniform") {
    check_keys(map, {"dist", "low", "high", "unit", "source"}, sink, form);
    const auto low = param("low", true), high = param("high", true);
    if (!low || !high) return;
    if (!(*low < *high)) {
      sink.error(where("high"), "scenario.distribution",
                 fmt::format("a uniform distribution needs low < high, got low {} and high {}", show_number(*low),
                             show_number(*high)));
      return;
    }
    check_range(*low, where("low"), field, sink, "the low end");
    check_range(*high, where("high"), field, sink, "the high end");
    d = {.kind = Distribution::Kind::Uniform, .a = *low, .b = *high};
    quantity.value = 0.5 * (*low + *high);
  } else if (*kind_text == "normal") {
    check_keys(map, {"dist", "mean", "sd", "unit", "source"}, sink, form);
    const auto mean = param("mean", true), sd = param("sd", true);
    if (!mean || !sd) return;
    if (!(*sd > 0)) {
      sink.error(where("sd"), "scenario.distribution", fmt::format("sd must be positive, got {}", show_number(*sd)));
      return;
    }
    check_range(*mean, where("mean"), field, sink, "the mean");
    if (in_range(*mean, field) && (!in_range(*mean - 4 * *sd, field) || !in_range(*mean + 4 * *sd, field))) {
      sink.error(where("sd"), "scenario.distribution",
                 fmt::format("a normal distribution with mean {} and sd {} reaches outside the allowed range of "
                             "'{}' within 4 sd",
                             show_number(*mean), show_number(*sd), field.key),
                 describe_range(field), "use a smaller sd, or a beta, lognormal or triangular distribution");
    }
    d = {.kind = Distribution::Kind::Normal, .a = *mean, .b = *sd, .clamp_low = field.min, .clamp_high = field.max};
    quantity.value = *mean;
  } else if (*kind_text == "lognormal") {
    check_keys(map, {"dist", "median", "sigma_log", "unit", "source"}, sink, form);
    const auto median = param("median", true), sigma = param("sigma_log", false);
    if (!median || !sigma) return;
    if (!(*median > 0)) {
      sink.error(where("median"), "scenario.distribution",
                 fmt::format("a lognormal median must be positive, got {}", show_number(*median)));
      return;
    }
    if (!(*sigma > 0) || *sigma > 20) {
      sink.error(where("sigma_log"), "scenario.distribution",
                 fmt::format("sigma_log must be positive and at most 20, got {}", show_number(*sigma)));
      return;
    }
    check_range(*median, where("median"), field, sink, "the median");
    const double upper = *median * std::exp(4 * *sigma);
    if (in_range(*median, field) && (field.min > 0 || !in_range(upper, field))) {
      sink.error(where("sigma_log"), "scenario.distribution",
                 fmt::format("a lognormal distribution with median {} and sigma_log {} reaches outside the "
                             "allowed range of '{}' within 4 sd",
                             show_number(*median), show_number(*sigma), field.key),
                 describe_range(field), "use a smaller sigma_log, or a uniform or triangular distribution");
    }
    d = {.kind = Distribution::Kind::LogNormal, .a = *median, .b = *sigma, .clamp_low = field.min,
         .clamp_high = field.max};
    quantity.value = *median;
  } else if (*kind_text == "beta") {
    check_keys(map, {"dist", "mean", "sd", "unit", "source"}, sink, form);
    const auto mean = param("mean", true), sd = param("sd", true);
    if (!mean || !sd) return;
    if (!(*mean > 0 && *mean < 1)) {
      sink.error(where("mean"), "scenario.distribution",
                 fmt::format("a beta mean must lie strictly between 0 and 1, got {}", show_number(*mean)));
      return;
    }
    const double max_sd = std::sqrt(*mean * (1 - *mean));
    if (!(*sd > 0 && *sd < max_sd)) {
      sink.error(where("sd"), "scenario.distribution",
                 fmt::format("no beta distribution has mean {} and sd {}", show_number(*mean), show_number(*sd)),
                 fmt::format("0 < sd < sqrt(mean (1 - mean)) = {}", show_number(max_sd)));
      return;
    }
    if (!in_range(0.0, field) || !in_range(1.0, field)) {
      sink.error(where("dist"), "scenario.distribution",
                 fmt::format("a beta distribution spans [0, 1], which is outside the allowed range of '{}'",
                             field.key),
                 describe_range(field), "use a uniform or triangular distribution");
    }
    // Method of moments: alpha + beta = mean (1 - mean) / sd^2 - 1.
    const double total = *mean * (1 - *mean) / (*sd * *sd) - 1;
    d = {.kind = Distribution::Kind::Beta, .a = *mean * total, .b = (1 - *mean) * total};
    quantity.value = *mean;
  } else if (*kind_text == "triangular") {
    check_keys(map, {"dist", "low", "mode", "high", "unit", "source"}, sink, form);
    const auto low = param("low", true), mode = param("mode", true), high = param("high", true);
    if (!low || !mode || !high) return;
    if (!(*low <= *mode && *mode <= *high && *low < *high)) {
      sink.error(where("mode"), "scenario.distribution",
                 fmt::format("a triangular distribution needs low <= mode <= high and low < high, got {}, {}, {}",
                             show_number(*low), show_number(*mode), show_number(*high)));
      return;
    }
    check_range(*low, where("low"), field, sink, "the low end");
    check_range(*high, where("high"), field, sink, "the high end");
    d = {.kind = Distribution::Kind::Triangular, .a = *low, .b = *mode, .c = *high};
    quantity.value = *mode;
  } else {
    std::vector<std::string> names(kinds.begin(), kinds.end());
    std::string hint;
    if (kind_text->size() <= 64) {
      if (auto near = diagnostics::nearest(*kind_text, names); !near.empty()) hint = fmt::format("did you mean '{}'?", near);
    }
    sink.error(dist_node.where, "scenario.choice",
               fmt::format("unknown distribution {}", quote_for_message(*kind_text)),
               "one of: uniform, normal, lognormal, beta, triangular", std::move(hint));
  }
}

[[noreturn]] void throw_problems(Problems problems) { throw InputError(std::move(problems)); }

}  // namespace

// ---- numbers and units --------------------------------------------------------------

std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty() || text.size() > 400) return std::nullopt;
  // Only decimal notation: from_chars would also take "inf", "nan" and hex digits.
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return std::nullopt;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<double> unit_factor(std::string_view from, std::string_view to) {
  if (from == to) return 1.0;
  const UnitInfo* a = find_unit(from);
  const UnitInfo* b = find_unit(to);
  if (a == nullptr || b == nullptr || a->dimension != b->dimension) return std::nullopt;
  return a->factor / b->factor;
}

bool is_known_unit(std::string_view unit) { return find_unit(unit) != nullptr; }

std::vector<std::string> known_units() {
  std::vector<std::string> names;
  for (const auto& unit : unit_table) {
    if (!unit.name.empty()) names.emplace_back(unit.name);
  }
  return names;
}

std::string describe_range(const FieldSpec& field) {
  constexpr double unbounded = 1e299;
  const std::string unit = field.unit.empty() ? "" : fmt::format(" {}", field.unit);
  const bool has_min = field.min > -unbounded;
  const bool has_max = field.max < unbounded;
  if (has_min && has_max) return fmt::format("a value in [{}, {}]{}", show_number(field.min), show_number(field.max), unit);
  if (has_min) return fmt::format("a value of at least {}{}", show_number(field.min), unit);
  if (has_max) return fmt::format("a value of at most {}{}", show_number(field.max), unit);
  return fmt::format("any finite value{}", unit);
}

// ---- quarters -------------------------------------------------------------------------

std::optional<QuarterDate> parse_quarter(std::string_view text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() != 4 && text.size() != 6) return std::nullopt;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!digit(text[i])) return std::nullopt;
  }
  QuarterDate date{.year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0')};
  if (date.year < 1000) return std::nullopt;
  if (text.size() == 6) {
    if (text[4] != 'Q' || text[5] < '1' || text[5] > '4') return std::nullopt;
    date.quarter = text[5] - '0';
  }
  return date;
}

// ---- quantities -------------------------------------------------------------------------

Quantity read_quantity(const YamlNode& node, const FieldSpec& field, Problems& problems) {
  const Sink sink{problems};
  Quantity quantity;
  quantity.where = node.where;
  const std::string what = fmt::format("'{}'", field.key);
  if (node.kind != YamlNode::Kind::Map) {
    if (auto x = number_at(node, sink, what)) {
      check_range(*x, node.where, field, sink, "the value");
      quantity.value = *x;
      quantity.distribution = {.kind = Distribution::Kind::Fixed, .a = *x};
    }
    return quantity;
  }
  if (!is_mapping_quantity(node)) {
    sink.error(node.where, "scenario.type", fmt::format("{} is a mapping without 'value', 'dist' or 'free'", what),
               "a number, {value: .., unit: .., source: ..}, a distribution {dist: .., ...}, or {value: .., "
               "free: [low, high], reason: ..}");
    return quantity;
  }
  const auto factor = unit_conversion(node, field, sink);
  quantity.source = source_of(node, sink);
  if (node.find("dist") != nullptr) {
    if (!field.uncertain_allowed) {
      sink.error(node.find("dist")->where, "scenario.type",
                 fmt::format("{} cannot be uncertain: it must be one number", what), "a number");
      return quantity;
    }
    if (factor) read_distribution(node, field, quantity, *factor, sink);
    return quantity;
  }
  const bool is_free = node.find("free") != nullptr;
  const std::string form = is_free ? "a free parameter" : "a quantity";
  if (is_free) {
    check_keys(node, {"value", "free", "reason", "unit", "source"}, sink, form);
  } else {
    check_keys(node, {"value", "unit", "source"}, sink, form);
  }
  const YamlNode* value_node = required(node, "value", sink, form);
  std::optional<double> value;
  if (value_node != nullptr) value = number_at(*value_node, sink, what);
  if (value && factor) {
    *value *= *factor;
    check_range(*value, value_node->where, field, sink, "the value");
    quantity.value = *value;
    quantity.distribution = {.kind = Distribution::Kind::Fixed, .a = *value};
  }
  if (!is_free) return quantity;
  quantity.is_free = true;
  if (const YamlNode* reason = required(node, "reason", sink, form)) {
    quantity.reason = text_at(*reason, sink, "the reason").value_or("");
  }
  const YamlNode& range = *node.find("free");
  if (range.kind != YamlNode::Kind::Sequence || range.items.size() != 2) {
    sink.error(range.where, "scenario.type", fmt::format("'free' is {}", describe_node(range)), "a list [low, high]");
    return quantity;
  }
  const auto low = number_at(range.items[0], sink, "the free range's low end");
  const auto high = number_at(range.items[1], sink, "the free range's high end");
  if (!low || !high || !factor) return quantity;
  quantity.free_low = *low * *factor;
  quantity.free_high = *high * *factor;
  if (!(quantity.free_low < quantity.free_high)) {
    sink.error(range.where, "scenario.free-range",
               fmt::format("the free range [{}, {}] is empty", show_number(*low), show_number(*high)),
               "[low, high] with low < high");
    return quantity;
  }
  check_range(quantity.free_low, range.items[0].where, field, sink, "the free range's low end");
  check_range(quantity.free_high, range.items[1].where, field, sink, "the free range's high end");
  if (value && factor && (quantity.value < quantity.free_low || quantity.value > quantity.free_high)) {
    sink.error(value_node->where, "scenario.free-range",
               fmt::format("the value {} lies outside its free range [{}, {}]", show_number(*value / *factor),
                           show_number(*low), show_number(*high)),
               "a free range that contains the value");
  }
  return quantity;
}

Quantity read_quantity(const YamlNode& node, const FieldSpec& field) {
  Problems problems;
  Quantity quantity = read_quantity(node, field, problems);
  if (!problems.empty()) throw_problems(std::move(problems));
  return quantity;
}

double draw(const Distribution& d, rng::Stream& stream) {
  switch (d.kind) {
    case Distribution::Kind::Fixed: return d.a;
    case Distribution::Kind::Uniform: return rng::uniform(stream, d.a, d.b);
    case Distribution::Kind::Normal: return std::clamp(rng::normal(stream, d.a, d.b), d.clamp_low, d.clamp_high);
    case Distribution::Kind::LogNormal:
      return std::clamp(rng::lognormal(stream, d.a, d.b), d.clamp_low, d.clamp_high);
    case Distribution::Kind::Beta: return rng::beta(stream, d.a, d.b);
    case Distribution::Kind::Triangular: {
      // Inverse CDF of the triangular distribution.
      const double u = stream.next_unit();
      const double width = d.c - d.a;
      const double split = (d.b - d.a) / width;
      if (u < split) return d.a + std::sqrt(u * width * (d.b - d.a));
      return d.c - std::sqrt((1 - u) * width * (d.c - d.b));
    }
  }
  check_invariant(false, "unknown distribution kind");
  return d.a;
}

// ---- other scalars --------------------------------------------------------------------

std::int64_t read_integer(const YamlNode& node, const FieldSpec& field, Problems& problems) {
  const Sink sink{problems};
  if (node.kind == YamlNode::Kind::Scalar && !node.quoted) {
    std::string_view text = node.text;
    if (!text.empty() && text[0] == '+') text.remove_prefix(1);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size() && !text.empty()) {
      if (static_cast<double>(value) < field.min || static_cast<double>(value) > field.max) {
        sink.error(node.where, "scenario.range",
                   fmt::format("'{}' is {}, outside the allowed range", field.key, value), describe_range(field));
      }
      return value;
    }
  }
  sink.error(node.where, "scenario.type", fmt::format("'{}' is {}", field.key, describe_node(node)), "a whole number");
  return 0;
}

std::int64_t read_integer(const YamlNode& node, const FieldSpec& field) {
  Problems problems;
  const auto value = read_integer(node, field, problems);
  if (!problems.empty()) throw_problems(std::move(problems));
  return value;
}

QuarterDate read_quarter(const YamlNode& node, Problems& problems) {
  if (node.kind == YamlNode::Kind::Scalar) {
    if (auto date = parse_quarter(node.text)) return *date;
  }
  Sink{problems}.error(node.where, "scenario.quarter", fmt::format("bad quarter {}", describe_node(node)),
                       "a quarter such as 1994Q2, or a year such as 1994 for its first quarter");
  return {};
}

QuarterDate read_quarter(const YamlNode& node) {
  Problems problems;
  const auto date = read_quarter(node, problems);
  if (!problems.empty()) throw_problems(std::move(problems));
  return date;
}

bool read_boolean(const YamlNode& node, Problems& problems) {
  if (node.kind == YamlNode::Kind::Scalar && !node.quoted) {
    const auto& t = node.text;
    if (t == "true" || t == "True" || t == "TRUE") return true;
    if (t == "false" || t == "False" || t == "FALSE") return false;
  }
  Sink{problems}.error(node.where, "scenario.type", fmt::format("{} is not a boolean", describe_node(node)),
                       "true or false");
  return false;
}

bool read_boolean(const YamlNode& node) {
  Problems problems;
  const bool value = read_boolean(node, problems);
  if (!problems.empty()) throw_problems(std::move(problems));
  return value;
}

std::string read_text(const YamlNode& node, Problems& problems) {
  return text_at(node, Sink{problems}, "the value").value_or("");
}

std::string read_text(const YamlNode& node) {
  Problems problems;
  auto text = read_text(node, problems);
  if (!problems.empty()) throw_problems(std::move(problems));
  return text;
}

bool is_identifier(std::string_view text) noexcept {
  if (text.empty() || text.size() > 64 || !(text[0] >= 'a' && text[0] <= 'z')) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// ---- series ---------------------------------------------------------------------------

namespace {

void sort_points(std::vector<SeriesPoint>& points) {
  std::sort(points.begin(), points.end(), [](const SeriesPoint& x, const SeriesPoint& y) {
    return x.quarter_index != y.quarter_index ? x.quarter_index < y.quarter_index : x.annual < y.annual;
  });
}

Series read_series_file(const YamlNode& map, const FieldSpec& field, const std::string& scenario_dir,
                        SeriesFiles& files, const Sink& sink) {
  Series series;
  check_keys(map, {"series", "column", "unit", "scale", "source"}, sink, "a series file reference");
  const auto file = text_at(*map.find("series"), sink, "the series file");
  const YamlNode* column_node = required(map, "column", sink, "a series file reference");
  const auto column = column_node ? text_at(*column_node, sink, "the column") : std::nullopt;
  const auto factor = unit_conversion(map, field, sink);
  series.source = source_of(map, sink);
  double scale = 1.0;
  if (const YamlNode* scale_node = map.find("scale")) {
    const auto x = number_at(*scale_node, sink, "'scale'");
    if (!x) return series;
    scale = *x;
  }
  if (!file || !column || !factor) return series;
  if (file->empty()) {
    sink.error(map.find("series")->where, "scenario.missing-file", "the series file name is empty");
    return series;
  }
  const std::string path =
      scenario_dir.empty() ? *file : (std::filesystem::path(scenario_dir) / *file).lexically_normal().string();
  const SeriesCsv& csv = files.load(path);
  if (!csv.diagnostics.empty()) {
    if (!files.first_report(path)) {
      sink.error(map.find("series")->where, "scenario.csv", fmt::format("the series file {} is unusable", path), {},
                 "see the problems reported for its first use");
      return series;
    }
    for (auto problem : csv.diagnostics) {
      // A file that cannot be opened has no line of its own: point at the reference instead.
      if (problem.location.line == 0) problem.location = map.find("series")->where;
      sink.problems.push_back(std::move(problem));
    }
    return series;
  }
  const auto index = csv.column_index(*column);
  if (!index) {
    std::string hint;
    if (column->size() <= 64) {
      if (auto near = diagnostics::nearest(*column, csv.columns); !near.empty()) hint = fmt::format("did you mean '{}'?", near);
    }
    std::string expected;
    for (const auto& name : csv.columns) expected += (expected.empty() ? "" : ", ") + name;
    sink.error(column_node->where, "scenario.unknown-column",
               fmt::format("the series file {} has no column {}", path, quote_for_message(*column)),
               "one of: " + expected, std::move(hint));
    return series;
  }
  const double multiplier = *factor * scale;
  for (const auto& row : csv.rows) {
    const auto& cell = row.values[*index];
    if (!cell) continue;
    const double value = *cell * multiplier;
    check_range(value, {path, row.line, row.value_columns[*index]}, field, sink,
                fmt::format("the value (after unit conversion and scale)"));
    const auto date = parse_quarter(row.period);
    if (!date) continue;  // reported by the CSV reader
    series.points.push_back(SeriesPoint{.quarter_index = quarter_index(*date),
                                        .annual = row.period.size() == 4,
                                        .value = value,
                                        .source = row.source.empty() ? series.source : row.source});
  }
  if (series.points.empty()) {
    sink.error(column_node->where, "scenario.empty-series",
               fmt::format("column {} of {} holds no data", quote_for_message(*column), path));
  }
  sort_points(series.points);
  return series;
}

Series read_inline_series(const YamlNode& map, const FieldSpec& field, const Sink& sink) {
  Series series;
  const auto factor = unit_conversion(map, field, sink);
  series.source = source_of(map, sink);
  std::unordered_map<int, int> first_line;  // 2 * quarter index + annual -> line
  for (const auto& [key, value] : map.entries) {
    if (key.text == "unit" || key.text == "source") continue;
    const auto date = parse_quarter(key.text);
    if (!date) {
      sink.error(key.where, "scenario.quarter", fmt::format("bad period {} in a series", quote_for_message(key.text)),
                 "a year such as 1994, a quarter such as 1994Q2, or one of: unit, source");
      continue;
    }
    const bool annual = key.text.size() == 4;
    const int slot = 2 * quarter_index(*date) + (annual ? 1 : 0);
    if (const auto [first, inserted] = first_line.emplace(slot, key.where.line); !inserted) {
      sink.error(key.where, "scenario.duplicate-period",
                 fmt::format("period {} appears twice (first on line {})", key.text, first->second));
      continue;
    }
    auto x = number_at(value, sink, fmt::format("the value for {}", key.text));
    if (!x || !factor) continue;
    *x *= *factor;
    check_range(*x, value.where, field, sink, fmt::format("the value for {}", key.text));
    series.points.push_back(
        SeriesPoint{.quarter_index = quarter_index(*date), .annual = annual, .value = *x, .source = series.source});
  }
  if (series.points.empty() && sink.ok()) {
    sink.error(map.where, "scenario.empty-series", fmt::format("the series '{}' has no periods", field.key),
               "{1994: 1.2, 1995Q3: 1.4, ...}");
  }
  sort_points(series.points);
  return series;
}

}  // namespace

Series read_series(const YamlNode& node, const FieldSpec& field, const std::string& scenario_dir, SeriesFiles& files,
                   Problems& problems) {
  const Sink sink{problems};
  if (node.kind == YamlNode::Kind::Map) {
    if (node.find("series") != nullptr) return read_series_file(node, field, scenario_dir, files, sink);
    return read_inline_series(node, field, sink);
  }
  Series series;
  const std::string what = fmt::format("'{}'", field.key);
  if (node.kind == YamlNode::Kind::Scalar && !node.quoted && parse_number(node.text)) {
    const double x = *parse_number(node.text);
    check_range(x, node.where, field, sink, "the value");
    series.constant = x;
    return series;
  }
  if (node.kind == YamlNode::Kind::Scalar && !node.quoted) {
    (void)number_at(node, sink, what);
    return series;
  }
  sink.error(node.where, "scenario.type", fmt::format("{} is {}", what, describe_node(node)),
             "a number, {YEAR: number, ...}, or {series: FILE, column: NAME}");
  return series;
}

Series read_series(const YamlNode& node, const FieldSpec& field, const std::string& scenario_dir) {
  SeriesFiles files;
  Problems problems;
  Series series = read_series(node, field, scenario_dir, files, problems);
  if (!problems.empty()) throw_problems(std::move(problems));
  return series;
}

}  // namespace arbiter::scenario
