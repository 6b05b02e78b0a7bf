#pragma once

// Helpers shared by the end-to-end model suites: load a scenario from YAML text, run an
// ensemble with a fixed seed, read series by name, and compare two variants run on common
// random numbers (same seed, same run indices) by the mean and standard error of the
// per-run differences.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"
#include "arbiter/engine/engine.hpp"
#include "arbiter/scenario/scenario.hpp"

namespace arbiter::model_test {

inline const std::string source_dir = ARBITER_SOURCE_DIR;
inline const std::string example_file = source_dir + "/examples/two_rivals.yaml";
inline const std::string scenario_dir = source_dir + "/tests/model/scenarios";

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Replaces the single occurrence of `from`; a missing or repeated `from` is a broken test.
inline std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "text to replace not found: " << from;
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "text to replace is not unique: " << from;
  return text.replace(at, from.size(), to);
}

/// Loads YAML text as if it were the file `file_name` (series paths resolve beside it).
/// Fails the test, listing every diagnostic, when the text does not validate.
inline scenario::Scenario load(const std::string& text, const std::string& file_name) {
  auto result = scenario::check_scenario(text, file_name);
  if (!result.scenario) {
    ADD_FAILURE() << "scenario does not validate:\n" << diagnostics::render(result.diagnostics);
    throw std::runtime_error("invalid scenario " + file_name);
  }
  return std::move(*result.scenario);
}

inline scenario::Scenario load_file(const std::string& path) { return load(read_text_file(path), path); }

/// All runs of one scenario variant under one master seed.
struct Ensemble {
  engine::OutputCatalog catalog;
  std::vector<engine::RunResult> runs;

  [[nodiscard]] bool has_series(const std::string& name) const {
    for (const auto& s : catalog.series) {
      if (s.name == name) return true;
    }
    return false;
  }
  [[nodiscard]] std::size_t series_index(const std::string& name) const {
    for (std::size_t k = 0; k < catalog.series.size(); ++k) {
      if (catalog.series[k].name == name) return k;
    }
    ADD_FAILURE() << "no series " << name;
    throw std::runtime_error("no series " + name);
  }
  [[nodiscard]] std::size_t summary_index(const std::string& name) const {
    for (std::size_t k = 0; k < catalog.summaries.size(); ++k) {
      if (catalog.summaries[k].name == name) return k;
    }
    ADD_FAILURE() << "no summary " << name;
    throw std::runtime_error("no summary " + name);
  }
  [[nodiscard]] std::size_t quarters() const { return catalog.quarter_count(); }
  [[nodiscard]] std::vector<double> series(std::size_t run, const std::string& name) const {
    const std::size_t s = series_index(name);
    const std::size_t q = quarters();
    return {runs[run].series.begin() + static_cast<std::ptrdiff_t>(s * q),
            runs[run].series.begin() + static_cast<std::ptrdiff_t>((s + 1) * q)};
  }
  [[nodiscard]] double at(std::size_t run, const std::string& name, std::size_t quarter) const {
    return runs[run].at(series_index(name), quarter, quarters());
  }
  [[nodiscard]] double summary(std::size_t run, const std::string& name) const {
    return runs[run].summaries[summary_index(name)];
  }
  [[nodiscard]] std::size_t event_kind(const std::string& name) const {
    for (std::size_t k = 0; k < catalog.event_kinds.size(); ++k) {
      if (catalog.event_kinds[k] == name) return k;
    }
    ADD_FAILURE() << "no event kind " << name;
    return catalog.event_kinds.size();
  }
  [[nodiscard]] std::size_t count_events(const std::string& kind) const {
    const std::size_t k = event_kind(kind);
    std::size_t count = 0;
    for (const auto& run : runs) {
      for (const auto& e : run.events) count += e.kind == k ? 1 : 0;
    }
    return count;
  }
  /// Series names starting with `prefix`, e.g. "war_hazard.".
  [[nodiscard]] std::vector<std::string> series_named(const std::string& prefix) const {
    std::vector<std::string> names;
    for (const auto& s : catalog.series) {
      if (s.name.rfind(prefix, 0) == 0) names.push_back(s.name);
    }
    return names;
  }
};

inline constexpr std::uint64_t test_seed = 20240601;

inline Ensemble run_ensemble(const scenario::Scenario& s, std::size_t runs, const std::string& policy = "",
                             std::uint64_t seed = test_seed) {
  const engine::Engine engine(s, policy);
  Ensemble out;
  out.catalog = engine.catalog();
  out.runs.resize(runs);
  for (std::size_t r = 0; r < runs; ++r) engine.simulate(rng::MasterSeed{seed}, r, out.runs[r]);
  return out;
}

/// Mean of a per-run metric in two variants run on common random numbers, and the mean and
/// standard error of the paired difference b - a.
struct Comparison {
  double mean_a = 0.0, mean_b = 0.0, diff = 0.0, se = 0.0;
  /// The difference is at least `sigmas` standard errors and at least `min_size` away from 0.
  [[nodiscard]] bool clearly_positive(double sigmas = 4.0, double min_size = 0.0) const {
    return diff > sigmas * se && diff > min_size;
  }
  [[nodiscard]] bool clearly_negative(double sigmas = 4.0, double min_size = 0.0) const {
    return -diff > sigmas * se && -diff > min_size;
  }
};

inline std::ostream& operator<<(std::ostream& os, const Comparison& c) {
  return os << "a=" << c.mean_a << " b=" << c.mean_b << " b-a=" << c.diff << " (se " << c.se << ")";
}

using Metric = std::function<double(const Ensemble&, std::size_t run)>;

inline Comparison compare(const Ensemble& a, const Ensemble& b, const Metric& metric) {
  EXPECT_EQ(a.runs.size(), b.runs.size());
  const std::size_t n = std::min(a.runs.size(), b.runs.size());
  Comparison c;
  double sum_d = 0.0, sum_d2 = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    const double x = metric(a, r), y = metric(b, r);
    c.mean_a += x;
    c.mean_b += y;
    sum_d += y - x;
    sum_d2 += (y - x) * (y - x);
  }
  const double count = static_cast<double>(n);
  c.mean_a /= count;
  c.mean_b /= count;
  c.diff = sum_d / count;
  const double variance = n > 1 ? std::max(0.0, (sum_d2 - count * c.diff * c.diff) / (count - 1.0)) : 0.0;
  c.se = std::sqrt(variance / count);
  return c;
}

/// Mean of `name` over quarters [from, to) of one run.
inline double window_mean(const Ensemble& e, std::size_t run, const std::string& name, std::size_t from,
                          std::size_t to) {
  const auto values = e.series(run, name);
  double sum = 0.0;
  for (std::size_t q = from; q < to; ++q) sum += values[q];
  return sum / static_cast<double>(to - from);
}

}  // namespace arbiter::model_test
