#pragma once

// Test support for the store's tests only: a small simulator shaped like the engine's.

#include <string>

#include "arbiter/ensemble/simulator.hpp"
#include "arbiter/rng/distributions.hpp"

namespace arbiter::store::testing {

class TestSimulator final : public ensemble::Simulator {
 public:
  TestSimulator() {
    for (int t = 0; t < 12; ++t) catalog_.quarter_labels.push_back(std::to_string(2000 + t / 4) + "Q" + std::to_string(t % 4 + 1));
    catalog_.actors = {"borduria", "syldavia", "ruritania"};
    catalog_.series = {{"capability.borduria", "USD bn (2022)"},
                       {"capability.syldavia", "USD bn (2022)"},
                       {"war_hazard.borduria~syldavia, annual", "probability per quarter"}};
    catalog_.summaries = {{"war_by_end", "probability"}, {"arms_imports_total", "USD bn (2022)"}};
    catalog_.event_kinds = {"war_started", "ceasefire", "arms_transfer"};
  }
  [[nodiscard]] const engine::OutputCatalog& catalog() const override { return catalog_; }
  void simulate(rng::MasterSeed seed, std::uint64_t run_index, engine::RunResult& out) const override {
    const std::size_t quarters = catalog_.quarter_count();
    out.series.assign(catalog_.series.size() * quarters, 0.0);
    out.events.clear();
    rng::Stream economy({seed, run_index, rng::Purpose::Economy, rng::no_actor, 0});
    rng::Stream wars({seed, run_index, rng::Purpose::WarOnset, rng::no_actor, 0});
    rng::Stream arms({seed, run_index, rng::Purpose::ArmsTrade, rng::no_actor, 0});
    double imports = 0.0;
    bool war = false;
    for (std::size_t t = 0; t < quarters; ++t) {
      out.series[t] = 10.0 * rng::lognormal(economy, 1.0, 0.2);
      out.series[quarters + t] = 7.0 * rng::lognormal(economy, 1.0, 0.3);
      const double hazard = 0.05 * rng::uniform(economy, 0.5, 1.5);
      out.series[2 * quarters + t] = hazard;
      if (rng::bernoulli(arms, 0.3)) {
        const double value = rng::gamma(arms, 2.0);
        imports += value;
        out.events.push_back({.quarter = static_cast<std::uint32_t>(t), .kind = 2, .actor = 2, .other_actor = 0,
                              .value = value});
      }
      if (!war && rng::bernoulli(wars, hazard)) {
        war = true;
        out.events.push_back(
            {.quarter = static_cast<std::uint32_t>(t), .kind = 0, .actor = 0, .other_actor = 1, .value = 0.0});
      } else if (war && rng::bernoulli(wars, 0.2)) {
        war = false;
        out.events.push_back({.quarter = static_cast<std::uint32_t>(t), .kind = 1, .actor = -1, .other_actor = -1,
                              .value = 0.1 * static_cast<double>(t)});
      }
    }
    out.summaries = {war ? 1.0 : 0.0, imports};
  }

 private:
  engine::OutputCatalog catalog_;
};

}  // namespace arbiter::store::testing
