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
struct SharedHistory;
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
  /// Starts from the shared history where the run's own draws allow it (below).
  void simulate(rng::MasterSeed seed, std::uint64_t run_index, RunResult& out) const;
  /// The same run computed from the first quarter without the shared history: the
  /// reference simulate() must reproduce bit for bit (tests) and the benchmark's baseline.
  void simulate_from_scratch(rng::MasterSeed seed, std::uint64_t run_index, RunResult& out) const;

  /// With fixed parameters, all runs live one history until a draw of their own sends them
  /// elsewhere: a war breaks out, a mandate ends, a growth shock hits. The engine simulates
  /// that trunk once, with snapshots, and each run starts from the last snapshot before its
  /// first departure (docs/architecture.md). The first quarter that no run shares with the
  /// trunk (0: no shared history, as with sampled parameters); the quarter count if the
  /// whole horizon can be shared.
  [[nodiscard]] int shared_history_end() const noexcept;

  /// The parameter track of this policy: baseline segments plus the policy's changes.
  [[nodiscard]] const std::vector<scenario::Param>& params() const noexcept { return params_; }

 private:
  const scenario::Scenario& scenario_;
  std::vector<scenario::Param> params_;
  OutputCatalog catalog_;
  std::shared_ptr<const detail::Layout> layout_;  // where each output goes, built once
  std::shared_ptr<const detail::SharedHistory> shared_history_;  // null without a shared history
  void build_catalog();
  void build_shared_history();
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
