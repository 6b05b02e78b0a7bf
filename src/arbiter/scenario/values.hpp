#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"
#include "arbiter/rng/stream.hpp"
#include "arbiter/scenario/schema.hpp"
#include "arbiter/scenario/yaml_tree.hpp"

// The value grammar shared by every Number, Series and Quarter field. Each reader comes in
// two forms: one appends every problem to `problems` (the checker uses it), the other throws
// InputError (the resolver uses it on nodes the checker has already passed, so it should not).
namespace arbiter::scenario {

using Problems = std::vector<diagnostics::Diagnostic>;

// ---- numbers and units --------------------------------------------------------------

/// A finite number written the YAML way (`0.3`, `-2`, `1e9`, `+4`); nullopt otherwise.
[[nodiscard]] std::optional<double> parse_number(std::string_view text);

/// The factor that turns a value in `from` into `to` (e.g. percent -> fraction = 0.01), or
/// nullopt when the units measure different things. An empty unit means dimensionless.
[[nodiscard]] std::optional<double> unit_factor(std::string_view from, std::string_view to);
[[nodiscard]] bool is_known_unit(std::string_view unit);
[[nodiscard]] std::vector<std::string> known_units();

// ---- quarters ---------------------------------------------------------------------------

struct QuarterDate {
  int year = 0;
  int quarter = 1;  // 1..4
  friend bool operator==(const QuarterDate&, const QuarterDate&) = default;
};

/// "1994Q2", or a bare year "1994" meaning its first quarter. Years have four digits.
[[nodiscard]] std::optional<QuarterDate> parse_quarter(std::string_view text);
/// Quarters counted from year 0: consecutive quarters have consecutive indices.
[[nodiscard]] constexpr int quarter_index(QuarterDate date) noexcept { return date.year * 4 + date.quarter - 1; }
[[nodiscard]] constexpr QuarterDate quarter_from_index(int index) noexcept { return {index / 4, index % 4 + 1}; }

// ---- quantities -------------------------------------------------------------------------

/// A number drawn once per run. Parameters are in the field's canonical unit:
/// Fixed a=value; Uniform a=low b=high; Normal a=mean b=sd; LogNormal a=median b=sigma_log;
/// Beta a=alpha b=beta (on [0,1]); Triangular a=low b=mode c=high.
struct Distribution {
  enum class Kind { Fixed, Uniform, Normal, LogNormal, Beta, Triangular };
  Kind kind = Kind::Fixed;
  double a = 0.0;
  double b = 0.0;
  double c = 0.0;
  // Normal and lognormal tails are unbounded; the checker only lets through those whose
  // 4-sd interval lies in the field's range, and draws beyond it are clamped to the range.
  double clamp_low = -std::numeric_limits<double>::infinity();
  double clamp_high = std::numeric_limits<double>::infinity();
};

struct Quantity {
  double value = 0.0;  // the fixed value, or the distribution's centre (mean, median or mode)
  Distribution distribution;
  std::string source;
  bool is_free = false;  // a free parameter: not from data, to be varied within [free_low, free_high]
  double free_low = 0.0;
  double free_high = 0.0;
  std::string reason;
  diagnostics::InputLocation where;
};

[[nodiscard]] Quantity read_quantity(const YamlNode& node, const FieldSpec& field, Problems& problems);
[[nodiscard]] Quantity read_quantity(const YamlNode& node, const FieldSpec& field);

/// One draw; a Fixed distribution returns its value without consuming randomness.
[[nodiscard]] double draw(const Distribution& distribution, rng::Stream& stream);

// ---- other scalars --------------------------------------------------------------------

[[nodiscard]] std::int64_t read_integer(const YamlNode& node, const FieldSpec& field, Problems& problems);
[[nodiscard]] std::int64_t read_integer(const YamlNode& node, const FieldSpec& field);
[[nodiscard]] QuarterDate read_quarter(const YamlNode& node, Problems& problems);
[[nodiscard]] QuarterDate read_quarter(const YamlNode& node);
[[nodiscard]] bool read_boolean(const YamlNode& node, Problems& problems);
[[nodiscard]] bool read_boolean(const YamlNode& node);
/// Scalar text (quoted or not).
[[nodiscard]] std::string read_text(const YamlNode& node, Problems& problems);
[[nodiscard]] std::string read_text(const YamlNode& node);
/// [a-z][a-z0-9_]*, at most 64 characters.
[[nodiscard]] bool is_identifier(std::string_view text) noexcept;

// ---- series ---------------------------------------------------------------------------

struct SeriesPoint {
  int quarter_index = 0;  // for an annual point, the index of the year's first quarter
  bool annual = false;    // the value is for the whole year (period written as YYYY)
  double value = 0.0;     // in the field's canonical unit
  std::string source;
};

struct Series {
  std::optional<double> constant;   // set when the series is one number for all quarters
  std::vector<SeriesPoint> points;  // otherwise: sorted by (quarter_index, annual)
  std::string source;               // the series' `source:` text, if any
};

class SeriesFiles;

/// `scenario_dir` is the directory of the scenario file; series files are relative to it.
/// `files` caches CSV files so that a file named by many fields is read once.
[[nodiscard]] Series read_series(const YamlNode& node, const FieldSpec& field, const std::string& scenario_dir,
                                 SeriesFiles& files, Problems& problems);
[[nodiscard]] Series read_series(const YamlNode& node, const FieldSpec& field, const std::string& scenario_dir);

/// "[0, 1] fraction", "at least 0 USD bn", ...: the allowed range for messages and docs.
[[nodiscard]] std::string describe_range(const FieldSpec& field);

}  // namespace arbiter::scenario
