#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arbiter/engine/run_result.hpp"
#include "arbiter/rng/stream.hpp"
#include "arbiter/scenario/scenario.hpp"

namespace arbiter::engine {

namespace detail {
struct Layout;
}

/// One scenario under one policy, ready to simulate any number of runs. Immutable and
/// safe to share between threads: each simulate() call owns its own state.
class Engine {
 public:
  /// `policy` names one of the scenario's policies; empty means the baseline (history).
  Engine(const scenario::Scenario& scenario, const std::string& policy);

  [[nodiscard]] const OutputCatalog& catalog() const noexcept { return catalog_; }
  [[nodiscard]] const scenario::Scenario& scenario() const noexcept { return scenario_; }

  /// A pure function of (seed, run_index): the same pair gives the same bits on any thread.
  void simulate(rng::MasterSeed seed, std::uint64_t run_index, RunResult& out) const;

  /// The parameter track of this policy: baseline segments plus the policy's changes.
  [[nodiscard]] const std::vector<scenario::Param>& params() const noexcept { return params_; }

 private:
  const scenario::Scenario& scenario_;
  std::vector<scenario::Param> params_;
  OutputCatalog catalog_;
  std::shared_ptr<const detail::Layout> layout_;  // where each output goes, built once
  void build_catalog();
};

/// Names of event kinds, in the order of engine::EventKind values.
enum class EventKind : std::uint16_t {
  WarStarted,        // actor = challenger, other = defender, value = challenger's win probability
  FlareUp,           // a war that ended within flare_up_days; value = days
  FullWar,           // value = days
  Offensive,         // a war begun against a blockaded enclave; value = days
  Ceasefire,         // value: 1 mediated, 2 decisive victory, 3 exhaustion, 4 scripted; actor = mediator if any
  TerritoryChange,   // value = change in the defender's control (negative: lost)
  AllianceHonoured,  // actor = guarantor, other = member
  Abandonment,       // actor = guarantor, other = client that counted on it
  AllianceExit,      // actor = leaving member, other = guarantor
  AllianceJoin,      // actor = joining member, other = guarantor
  PeacekeepersDeployed,
  PeacekeepersWithdrawn,
  MandateRenewed,
  LoanDisbursed,     // actor = borrower, other = lender, value = USD bn this quarter
  Settlement,        // actor = challenger, value = negotiated concession share
  Summit,
  Count
};
[[nodiscard]] const std::vector<std::string>& event_kind_names();

}  // namespace arbiter::engine
