#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace arbiter::engine {

/// What happened in one run at one quarter. Small and flat: a run may log hundreds.
struct Event {
  std::uint32_t quarter = 0;     // index into OutputCatalog::quarter_labels
  std::uint16_t kind = 0;        // index into OutputCatalog::event_kinds
  std::int16_t actor = -1;       // index into OutputCatalog::actors, -1 for none
  std::int16_t other_actor = -1; // second party (the rival, the client, ...), -1 for none
  double value = 0.0;            // meaning documented per kind (casualties, revenue, ...)
  friend bool operator==(const Event&, const Event&) = default;
};

/// Names of everything a run reports, fixed for a scenario: the store and the
/// aggregates are keyed by these names, results by their indices.
struct OutputCatalog {
  std::vector<std::string> quarter_labels;  // "1994Q2", ... one per simulated quarter
  std::vector<std::string> actors;          // actor ids in scenario order
  struct Series {
    std::string name;  // e.g. "capability.armenia", "war_hazard.armenia~azerbaijan"
    std::string unit;  // e.g. "USD bn (2022)", "probability per quarter"
  };
  std::vector<Series> series;          // per-quarter outputs
  std::vector<Series> summaries;       // one value per run (e.g. "war_by_2020")
  std::vector<std::string> event_kinds;// e.g. "war_started", "ceasefire", ...
  [[nodiscard]] std::size_t quarter_count() const noexcept { return quarter_labels.size(); }
};

/// Everything one Monte Carlo run produced. `series` is output-major:
/// value of series s at quarter t is series[s * quarter_count + t].
struct RunResult {
  std::uint64_t run_index = 0;
  std::vector<double> series;
  std::vector<double> summaries;
  std::vector<Event> events;
  [[nodiscard]] double at(std::size_t series_index, std::size_t quarter, std::size_t quarter_count) const {
    return series[series_index * quarter_count + quarter];
  }
};

}  // namespace arbiter::engine
