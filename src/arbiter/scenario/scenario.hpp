#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"
#include "arbiter/rng/stream.hpp"
#include "arbiter/scenario/values.hpp"

// The resolved scenario: every default applied, names turned into indices, units
// converted, series laid out per quarter. A Scenario that exists is valid.
namespace arbiter::scenario {

using ParamId = std::uint32_t;
using ActorId = std::int32_t;
inline constexpr ActorId no_actor = -1;

/// A model parameter whose value may change at dated quarters (events, policies).
struct Param {
  std::string path;  // e.g. "arms_trade.russia->armenia.price"
  struct Segment {
    int from_quarter = 0;  // 0 = scenario start
    Distribution value;
    std::uint32_t draw_key = 0;  // keys the per-run draw; equal across policies for baseline segments
  };
  std::vector<Segment> segments;  // sorted by from_quarter; the first starts at 0
  std::string source;             // the baseline value's source, or "free: reason"
  bool is_free = false;
  double free_low = 0.0;
  double free_high = 0.0;
};

/// A per-quarter input path. NaN marks quarters without an observation.
struct QuarterlySeries {
  std::vector<double> values;
  [[nodiscard]] bool observed(int quarter) const;
  [[nodiscard]] double at_or_nan(int quarter) const;
};

enum class ActorKind { State, DeFactoState, Organisation };
enum class Strategy { Scripted, Optimise };
enum class AllianceScope { MembersTerritory, MembersTerritoryAndDisputedAreas };

struct Economy {
  QuarterlySeries gdp, oil_rents_share, oil_price_index, milex;
  ParamId gdp_growth, gdp_growth_sd, milex_share_gdp, rent_to_defence, milex_ceiling_share_gdp,
      milex_floor_share_gdp;
};

struct Military {
  ParamId capability, depreciation, quality, procurement_share, import_share, price_sensitivity,
      alignment_weight, diversification;
};

struct OutsidePower {
  ParamId capacity, will, backer_aversion, revenue_weight, goodwill_weight, war_cost;
  Strategy strategy = Strategy::Scripted;
};

struct Actor {
  std::string id, name;
  ActorKind kind = ActorKind::State;
  std::optional<Economy> economy;
  Military military{};
  std::optional<OutsidePower> power;
};

struct Rivalry {
  std::string id;
  ActorId challenger = no_actor, defender = no_actor;
  std::vector<ActorId> defender_partners;
  std::string disputed_area;
  ParamId initial_control, area_population, stake_value, reaction, fatigue, grievance, war_cost_challenger,
      war_cost_defender, resolve_uncertainty, crisis_rate, incident_rate, blockade;
};

struct ArmsRelation {
  ActorId supplier = no_actor, recipient = no_actor;
  ParamId price, willingness, embargo, delivery_lag, quality, preference;
};

struct Loan {
  std::string id;
  ActorId lender = no_actor, borrower = no_actor;
  ParamId principal, disbursement_quarters, rate, grace, term, forgiven, rescheduled_delay;
  int start_quarter = 0;  // may be before the scenario start (negative) or after its end
  bool purpose_bound = true;
};

struct Alliance {
  std::string id;
  ActorId guarantor = no_actor;
  std::vector<ActorId> initial_members;
  AllianceScope scope = AllianceScope::MembersTerritory;
  ParamId reliability, discretionary_reliability, ally_weight;
};

struct Mediation {
  std::string id;
  ActorId mediator = no_actor;
  int rivalry = -1;
  ParamId bias_to_challenger, accuracy, war_aversion, effort, ceasefire_rate, alignment_bias;
};

struct Peacekeeping {
  std::string id;
  ActorId patron = no_actor;
  int rivalry = -1;
  ParamId size, deployed, hazard_ratio, mandate, renewal_probability;
};

struct Backing {
  ActorId backer = no_actor, client = no_actor;
  ParamId materiel, advisers, political, wartime_surge;
};

struct InitialAlignment {
  ActorId client = no_actor, power = no_actor;
  ParamId value;
};

struct NegotiationIssue {
  std::string id;
  int rivalry = -1;
  ParamId challenger_goal, settlement_effect;
  int rounds = 4;
  struct Stake {
    ActorId actor = no_actor;
    ParamId position, salience, leverage;
  };
  std::vector<Stake> stakes;
};

struct Parameters {
  struct {
    ParamId decisiveness, defence_advantage, discount, horizon, commitment_hazard_max, commitment_gap_scale,
        escalation_scale;
  } war_onset;
  struct {
    ParamId front_share, attrition, breakpoint, territory_rate, exhaustion, deaths_per_capability,
        displaced_share, flare_up_days;
  } war;
  struct {
    ParamId support_gain, abandonment_loss, hostile_sales_loss, exit_threshold, out_of_scope_expectation;
  } alignment;
};

struct Mechanisms {
  bool economy = true, arms_market = true, credit = true, quality = true, war_onset = true, war_dynamics = true,
       alliances = true, mediation = true, peacekeeping = true, backers = true, alignment = true,
       capacity_shocks = true, patron_strategy = true, negotiation = true;
};

/// Structural events; parameter changes are folded into Param segments instead.
struct Event {
  enum class Type { JoinAlliance, LeaveAlliance, Ceasefire, Summit, DeployPeacekeepers, WithdrawPeacekeepers };
  Type type = Type::Summit;
  int quarter = 0;
  ActorId actor = no_actor;
  int alliance = -1, rivalry = -1, mission = -1;
  std::string source;
};

struct ParamChange {
  int from_quarter = 0;
  ParamId param = 0;
  Distribution value;
};

struct Policy {
  std::string name, description;
  std::vector<ParamChange> changes;
};

struct Scenario {
  std::string name, description, file;
  std::string text;  // the file as read, for hashing and provenance
  std::optional<std::uint64_t> seed;
  int start_year = 0, start_quarter_of_year = 1;  // first simulated quarter
  int quarter_count = 0;
  std::vector<std::string> quarter_labels;
  std::vector<Actor> actors;
  std::vector<Rivalry> rivalries;
  std::vector<ArmsRelation> arms;
  std::vector<Loan> loans;
  std::vector<Alliance> alliances;
  std::vector<Mediation> mediations;
  std::vector<Peacekeeping> missions;
  std::vector<Backing> backings;
  std::vector<InitialAlignment> initial_alignments;
  std::vector<NegotiationIssue> issues;
  Parameters parameters{};
  Mechanisms mechanisms;
  std::vector<Event> events;  // sorted by quarter, then file order
  std::vector<Param> params;
  std::unordered_map<std::string, ParamId> param_by_path;
  std::vector<Policy> policies;

  [[nodiscard]] const Policy* find_policy(const std::string& name) const;
  [[nodiscard]] ActorId find_actor(const std::string& id) const;
};

struct LoadResult {
  std::optional<Scenario> scenario;
  std::vector<diagnostics::Diagnostic> diagnostics;  // errors and warnings, all of them
};

/// Parses, checks and resolves; never throws for bad input (the diagnostics say what is wrong).
[[nodiscard]] LoadResult check_scenario(const std::string& text, const std::string& file_name);
/// Reads the file and checks it; throws InputError listing every problem.
[[nodiscard]] Scenario load_scenario(const std::string& path);

}  // namespace arbiter::scenario

namespace arbiter::scenario {

/// The scenario as it was knowable at `origin_quarter` (0 = the start): data after the
/// origin become unobserved (the model forecasts them), and dated events and parameter
/// changes from the origin on are dropped. Policies stay: they are the conditions a
/// forecast is asked under. Used by backtests, so hindsight cannot leak into them.
[[nodiscard]] Scenario forecast_from(Scenario scenario, int origin_quarter);

/// The index of a quarter label such as "2015Q1" in `scenario`, or nullopt when the label
/// is malformed or outside the simulated period.
[[nodiscard]] std::optional<int> quarter_offset(const Scenario& scenario, std::string_view label);

}  // namespace arbiter::scenario
