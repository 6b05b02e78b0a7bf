#include <cmath>
#include <limits>

#include "arbiter/scenario/scenario.hpp"
#include "arbiter/scenario/values.hpp"

namespace arbiter::scenario {

Scenario forecast_from(Scenario scenario, int origin_quarter) {
  const double unobserved = std::numeric_limits<double>::quiet_NaN();
  auto blank_after_origin = [&](QuarterlySeries& series) {
    for (std::size_t q = 0; q < series.values.size(); ++q) {
      if (static_cast<int>(q) >= origin_quarter) series.values[q] = unobserved;
    }
  };
  for (auto& actor : scenario.actors) {
    if (!actor.economy) continue;
    // GDP, budgets and rents after the origin are what the forecast must produce; a
    // constant (unchanging) path carries no hindsight, but it is blanked too, so the
    // model's own growth rule applies uniformly.
    blank_after_origin(actor.economy->gdp);
    blank_after_origin(actor.economy->milex);
    blank_after_origin(actor.economy->oil_rents_share);
    blank_after_origin(actor.economy->oil_price_index);
  }
  std::erase_if(scenario.events, [&](const Event& event) { return event.quarter >= origin_quarter; });
  for (auto& param : scenario.params) {
    std::erase_if(param.segments,
                  [&](const Param::Segment& segment) { return segment.from_quarter >= origin_quarter && segment.from_quarter > 0; });
  }
  return scenario;
}

std::optional<int> quarter_offset(const Scenario& scenario, std::string_view label) {
  const auto date = parse_quarter(label);
  if (!date) return std::nullopt;
  const int offset = quarter_index(*date) - (scenario.start_year * 4 + scenario.start_quarter_of_year - 1);
  if (offset < 0 || offset >= scenario.quarter_count) return std::nullopt;
  return offset;
}

}  // namespace arbiter::scenario
