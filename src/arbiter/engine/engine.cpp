#include "arbiter/engine/engine.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/negotiation/bargaining.hpp"
#include "arbiter/rng/distributions.hpp"
#include "arbiter/rules/alliance.hpp"
#include "arbiter/rules/arms_trade.hpp"
#include "arbiter/rules/bargaining.hpp"
#include "arbiter/rules/contest.hpp"
#include "arbiter/rules/lanchester.hpp"
#include "arbiter/rules/mediation.hpp"
#include "arbiter/rules/richardson.hpp"

// One quarterly step, in this order (docs/model.md, "The quarterly step"):
//   1 scheduled events      2 economy and budgets     3 credit
//   4 arms market           5 backers                 6 capability stocks
//   7 alignment and exits   8 negotiation (each Q1)   9 patron strategy (each Q1)
//  10 crisis, onset, war   11 peacekeeping mandates  12 outputs
// Budgets come before purchases so this quarter's money buys this quarter's orders;
// deliveries arrive before the war step so weapons delivered now fight now.
namespace arbiter::engine {

using scenario::ActorId;
using scenario::ParamId;

namespace {

constexpr double quarter_years = 0.25;
constexpr int days_per_quarter = 90;
constexpr int max_delivery_lag = 16;  // the table's upper bound on delivery_lag
constexpr double tiny = 1e-12;

const std::vector<std::string> kEventKindNames = {
    "war_started",  "flare_up",         "full_war",          "offensive",
    "ceasefire",    "territory_change", "alliance_honoured", "abandonment",
    "alliance_exit", "alliance_join",   "peacekeepers_deployed", "peacekeepers_withdrawn",
    "mandate_renewed", "loan_disbursed", "settlement",       "summit"};

/// The current value of every parameter in one run; dated changes apply as time passes.
class ParamValues {
 public:
  ParamValues(const std::vector<scenario::Param>& params, rng::MasterSeed seed, std::uint64_t run_index) {
    current_.resize(params.size());
    sampled_.assign(params.size(), 0);
    for (std::size_t id = 0; id < params.size(); ++id) {
      const auto& segments = params[id].segments;
      for (std::size_t k = 0; k < segments.size(); ++k) {
        const auto& segment = segments[k];
        double value = segment.value.a;
        if (segment.value.kind != scenario::Distribution::Kind::Fixed) {
          // Keyed by parameter and segment, so a policy that adds a change leaves every
          // other draw of the run as it was: counterfactuals use common random numbers.
          rng::Stream stream({seed, run_index, rng::Purpose::ScenarioSampling, static_cast<std::uint32_t>(id),
                              segment.draw_key});
          value = scenario::draw(segment.value, stream);
        }
        if (segment.value.kind != scenario::Distribution::Kind::Fixed) sampled_[id] = 1;
        if (k == 0) {
          current_[id] = value;
        } else {
          changes_.push_back({segment.from_quarter, static_cast<ParamId>(id), value});
        }
      }
    }
    std::stable_sort(changes_.begin(), changes_.end(),
                     [](const Change& x, const Change& y) { return x.quarter < y.quarter; });
  }

  void advance_to(int quarter) {
    while (next_ < changes_.size() && changes_[next_].quarter <= quarter) {
      current_[changes_[next_].param] = changes_[next_].value;
      ++next_;
      ++version_;
    }
  }

  [[nodiscard]] double operator[](ParamId id) const {
    if (watching_ && !outputs_only_ && sampled_[id] != 0) [[unlikely]] read_into_state_ = true;
    return current_[id];
  }

  /// For the trunk of the shared history: from now on, notes whether a parameter that
  /// differs between runs is read anywhere but in reads marked as feeding outputs only.
  void watch_sampled_reads() { watching_ = true; }
  void read_for_outputs_only(bool on) { outputs_only_ = on; }
  /// True if such a read happened: the run's state then depends on its own draws.
  [[nodiscard]] bool sampled_read_into_state() const noexcept { return read_into_state_; }
  /// Changes whenever any parameter changes: lets callers cache what they derive from them.
  [[nodiscard]] std::uint64_t version() const noexcept { return version_; }

 private:
  struct Change {
    int quarter;
    ParamId param;
    double value;
  };
  std::vector<double> current_;
  std::vector<Change> changes_;
  std::size_t next_ = 0;
  std::uint64_t version_ = 1;
  std::vector<char> sampled_;  // per parameter: 1 if it is drawn per run
  bool watching_ = false, outputs_only_ = false;
  mutable bool read_into_state_ = false;
};

double last_observed_at_or_before(const scenario::QuarterlySeries& series, int quarter, double fallback) {
  for (int q = std::min(quarter, static_cast<int>(series.values.size()) - 1); q >= 0; --q) {
    if (series.observed(q)) return series.values[static_cast<std::size_t>(q)];
  }
  for (std::size_t q = 0; q < series.values.size(); ++q) {
    if (series.observed(static_cast<int>(q))) return series.values[q];
  }
  return fallback;
}

struct ActorState {
  double gdp = 0.0;
  double annual_growth = 0.0;
  double rents = 0.0;
  double milex = 0.0;           // USD bn per year
  double budget_offset = 0.0;   // calibrates the budget rule to the last observed budget
  bool budget_modelled = false;
  double capability = 0.0;      // USD bn of equipment
  double quality = 1.0;         // effective, including advisers
  double debt_service = 0.0;    // USD bn due this quarter
  double imports = 0.0;         // USD bn spent abroad this quarter
  double retention = 1.0;       // (1 - depreciation)^dt, cached
  double retention_for = -1.0;  // the depreciation it was computed for
  double revenue = 0.0;         // USD bn earned this quarter as a supplier
  double revenue_total = 0.0;
  double order_flow = 0.0;      // capability ordered this quarter (for projections)
  double other_flow = 0.0;      // domestic production and backer materiel this quarter
  [[nodiscard]] double strength() const { return quality * capability; }
};

struct PairState {
  std::array<double, max_delivery_lag + 1> pipeline{};  // capability arriving in 0..16 quarters
  int lag = 0;                  // delivery lag this quarter, in quarters
  double ordered = 0.0;         // capability ordered this quarter
  double spending = 0.0;        // USD bn this quarter
  double delivered = 0.0;       // capability delivered this quarter
  double revenue_total = 0.0;
  double strategy_factor = 1.0; // set by an optimising supplier
};

struct WarState {
  bool active = false;
  int onset_quarter = 0;
  int days = 0;
  double x0 = 0.0, y0 = 0.0, x = 0.0, y = 0.0;  // committed strength of challenger and defender side
  double control_at_onset = 1.0;
  bool against_enclave = false;
  double ally_strength = 0.0;
};

struct RivalryState {
  double control = 1.0;
  WarState war;
  double hazard = 0.0, win_probability = 0.5, commitment_gap = 0.0, crisis_war_probability = 0.0;
  double incidents = 0.0, battle_deaths = 0.0, displaced = 0.0, credible_mediation = 0.0;
  double concession = 0.0;  // negotiated concession the defender can offer, share of the stake
  bool summit = false;
  bool fought_this_quarter = false;
  double troops = 0.0;
  int wars = 0, flare_ups = 0, full_wars = 0, offensives = 0;
  // Budget rule (Richardson, exact discretisation), cached for the current coefficients.
  double cached_reaction = -1.0, cached_fatigue = -1.0;
  std::array<double, 4> phi{};
  std::array<double, 4> gamma_matrix{};  // Gamma = gamma_matrix * (g, h)
};

struct LoanState {
  double outstanding = 0.0;
  double disbursed = 0.0;
  double payment = 0.0;
  int repayment_start = std::numeric_limits<int>::max();
  double forgiven_applied = 0.0;
  bool annuity_set = false;
};

struct MissionState {
  bool deployed = false;
  int mandate_end = 0;
};

}  // namespace

namespace detail {

/// Which output series sit where; built once per Engine.
struct Layout {
  std::size_t quarters = 0;
  std::size_t series_total = 0, summary_total = 0;
  std::vector<std::size_t> gdp, milex, capability, strength, revenue, capacity, debt;  // per actor (npos if none)
  std::vector<std::size_t> deliveries;                                                  // per arms pair
  struct RivalrySeries {
    std::size_t hazard, at_war, control, win_probability, commitment_gap, incidents, battle_deaths, displaced,
        peacekeepers, credible_mediation, concession;
  };
  std::vector<RivalrySeries> rivalry;
  std::vector<std::pair<ActorId, ActorId>> alignment_pairs;
  std::vector<std::size_t> alignment;
  std::vector<std::size_t> issue_forecast;
  std::vector<std::size_t> pair_share;  // per arms pair: share of the recipient's imports
  std::vector<std::vector<std::size_t>> incoming_pairs;  // per actor: the arms pairs it buys through
  // Per actor with an economy: rent share and price index with the last observation carried
  // forward (and the first carried back), one value per quarter.
  std::vector<std::vector<double>> rent_share, price_index;
  // summaries
  struct RivalrySummaries {
    std::size_t war_occurred, wars, flare_ups, full_wars, offensives, battle_deaths, displaced, final_control;
  };
  std::vector<RivalrySummaries> rivalry_summary;
  std::vector<std::size_t> revenue_total;       // per actor (npos if not a supplier)
  std::vector<std::size_t> pair_revenue_total;  // per arms pair
};

}  // namespace detail

namespace {

using detail::Layout;

/// A rivalry's series that follow from its assessment (Run::record_assessment() writes them
/// in this order).
std::array<std::size_t, 6> assessed_series(const Layout::RivalrySeries& series) {
  return {series.hazard, series.win_probability, series.commitment_gap, series.incidents, series.peacekeepers,
          series.credible_mediation};
}
constexpr std::size_t npos = static_cast<std::size_t>(-1);

}  // namespace


const std::vector<std::string>& event_kind_names() { return kEventKindNames; }

namespace {

/// What assessing a rivalry reads from the run's state; everything else it takes from
/// the parameters. The split lets runs on the shared history assess a trunk quarter
/// with their own parameters (Engine::simulate).
struct AssessmentInputs {
  double challenger = 0.0;      // strength
  double defender_side = 0.0;   // strength of the defender and its partners
  double control = 1.0;         // defender's share of the disputed area
  double concession = 0.0;
  bool summit = false;
  std::vector<ActorId> protected_member;      // per alliance: the defender-side member it covers, or none
  std::vector<double> guarantor_strength;     // per alliance
  std::vector<double> challenger_alignment;   // per mediation: the challenger's alignment with the mediator
  std::vector<double> defender_alignment;     // per mediation
  std::vector<char> mission_deployed;         // per peacekeeping mission
  std::vector<double> challenger_path;        // projected strengths, quarters 0..horizon (empty: none)
  std::vector<double> defender_path;
};

/// What the trunk of the shared history notes as it goes (docs/architecture.md).
struct TrunkNotes {
  /// A mandate renewal the trunk decided: a run whose own draw decides otherwise leaves
  /// the trunk in that quarter.
  struct Renewal {
    int quarter = 0;
    std::uint32_t mission = 0;
    bool trunk_branch = false;
  };
  std::vector<Renewal> renewals;                // in the order the trunk met them
  std::vector<AssessmentInputs> assessments;    // quarter-major: [quarter * rivalries + rivalry]
};

/// Everything one run needs; lives on the calling thread's stack.
class Run {
 public:
  Run(const scenario::Scenario& scenario, const std::vector<scenario::Param>& params, const Layout& layout,
      rng::MasterSeed seed, std::uint64_t run_index, RunResult& out)
      : s_(scenario), p_(params, seed, run_index), layout_(layout), seed_(seed), run_(run_index), out_(&out),
        n_(scenario.actors.size()) {
    actors_.resize(n_);
    pairs_.resize(s_.arms.size());
    rivalries_.resize(s_.rivalries.size());
    loans_.resize(s_.loans.size());
    missions_.resize(s_.missions.size());
    alignment_.assign(n_ * n_, 0.5);
    membership_.assign(s_.alliances.size() * n_, 0);
    issue_forecast_.assign(s_.issues.size(), 0.0);
    // Every series is written each quarter (record()), so its values need no clearing.
    out_->run_index = run_index;
    out_->series.resize(layout.quarters * layout.series_total);
    out_->summaries.assign(layout.summary_total, 0.0);
    out_->events.clear();
  }

  void simulate() {
    initialise();
    simulate_from(0);
  }

  /// Runs the quarters from `first` on and the end-of-run summaries.
  void simulate_from(int first) {
    for (t_ = first; t_ < s_.quarter_count; ++t_) step_quarter();
    finish();
  }

  // ---- the shared history (docs/architecture.md) --------------------------------------------
  /// Turns this run into the trunk and sets it up before the first quarter: it never goes
  /// to war, takes the likelier branch of every other yes/no draw, and notes what runs need
  /// to follow it in `notes`.
  void start_trunk(TrunkNotes& notes) {
    recording_ = &notes;
    p_.watch_sampled_reads();
    initialise();
  }
  /// One quarter of the trunk; false once its state stops being every run's: a continuous
  /// shock was drawn, or a parameter that differs between runs was read into the state.
  bool advance_trunk(int quarter) {
    t_ = quarter;
    step_quarter();
    return !history_ended_ && !p_.sampled_read_into_state();
  }
  [[nodiscard]] const ParamValues& params() const noexcept { return p_; }

  /// Follows the trunk as this run: each trunk quarter is assessed with the run's own
  /// parameters, which gives the run's assessment outputs and its own draws, until a draw
  /// comes out otherwise than on the trunk. Returns that quarter, or `end_quarter`.
  int follow_trunk(const TrunkNotes& notes, int end_quarter) {
    const std::size_t rivalries = s_.rivalries.size();
    std::size_t next_renewal = 0;
    for (t_ = 0; t_ < end_quarter; ++t_) {
      p_.advance_to(t_);
      bool leaves = false;
      for (std::size_t r = 0; r < rivalries; ++r) {
        const Assessment a = evaluate(r, notes.assessments[static_cast<std::size_t>(t_) * rivalries + r]);
        note_assessment(r, a, false);  // as step_rivalry() at peace
        record_assessment(r);
        if (stream(rng::Purpose::WarOnset, r).next_unit() < a.hazard) leaves = true;
      }
      for (; next_renewal < notes.renewals.size() && notes.renewals[next_renewal].quarter == t_; ++next_renewal) {
        const auto& renewal = notes.renewals[next_renewal];
        const bool renew = stream(rng::Purpose::Peacekeeping, renewal.mission).next_unit() <
                           param(s_.missions[renewal.mission].renewal_probability);
        if (renew != renewal.trunk_branch) leaves = true;
      }
      if (leaves) return t_;
    }
    return end_quarter;
  }

  /// A copy of a trunk snapshot becomes run `run_index` with its parameters `params`
  /// (as they stood before the first quarter), writing into `out`.
  void become_run(rng::MasterSeed seed, std::uint64_t run_index, const ParamValues& params, RunResult& out) {
    seed_ = seed;
    run_ = run_index;
    p_ = params;
    out_ = &out;
    recording_ = nullptr;
  }

 private:
  void step_quarter() {
    p_.advance_to(t_);
    apply_events();
    step_economy();
    step_credit();
    step_arms_market();
    step_backers_and_capability();
    step_alignment();
    if (t_ == 0 || quarter_of_year() == 1) {
      step_negotiation();
      step_patron_strategy();
    }
    for (std::size_t r = 0; r < s_.rivalries.size(); ++r) step_rivalry(r);
    step_missions();
    record();
  }

  // ---- small helpers ---------------------------------------------------------------------
  [[nodiscard]] int quarter_of_year() const { return (s_.start_quarter_of_year - 1 + t_) % 4 + 1; }
  [[nodiscard]] std::size_t idx(ActorId a) const { return static_cast<std::size_t>(a); }
  double& align(ActorId client, ActorId power) { return alignment_[idx(client) * n_ + idx(power)]; }
  [[nodiscard]] double alignment(ActorId client, ActorId power) const {
    return alignment_[idx(client) * n_ + idx(power)];
  }
  [[nodiscard]] bool member(std::size_t alliance, ActorId actor) const {
    return membership_[alliance * n_ + idx(actor)] != 0;
  }
  void set_member(std::size_t alliance, ActorId actor, bool value) {
    membership_[alliance * n_ + idx(actor)] = value ? 1 : 0;
  }
  [[nodiscard]] rng::Stream stream(rng::Purpose purpose, std::size_t index) const {
    return rng::Stream({seed_, run_, purpose, static_cast<std::uint32_t>(index), static_cast<std::uint64_t>(t_)});
  }
  void event(EventKind kind, ActorId actor, ActorId other, double value) {
    out_->events.push_back({static_cast<std::uint32_t>(t_), static_cast<std::uint16_t>(kind),
                           static_cast<std::int16_t>(actor), static_cast<std::int16_t>(other), value});
  }
  [[nodiscard]] const scenario::Actor& actor(ActorId a) const { return s_.actors[idx(a)]; }
  /// Share of normal capacity; 1 for actors that are not outside powers or with shocks off.
  [[nodiscard]] double capacity(ActorId a) const {
    const auto& power = actor(a).power;
    if (!power || !s_.mechanisms.capacity_shocks) return 1.0;
    return p_[power->capacity];
  }
  [[nodiscard]] double will(ActorId a) const {
    const auto& power = actor(a).power;
    return power ? p_[power->will] : 0.0;
  }
  void set_series(std::size_t series, double value) {
    if (series != npos) out_->series[series * layout_.quarters + static_cast<std::size_t>(t_)] = value;
  }
  [[nodiscard]] double param(ParamId id) const { return p_[id]; }

  // ---- set-up ----------------------------------------------------------------------------
  void initialise() {
    t_ = 0;
    p_.advance_to(0);
    for (std::size_t a = 0; a < n_; ++a) {
      const auto& spec = s_.actors[a];
      auto& state = actors_[a];
      state.capability = param(spec.military.capability);
      if (spec.economy) {
        state.gdp = last_observed_at_or_before(spec.economy->gdp, 0, 0.0);
        state.milex = last_observed_at_or_before(spec.economy->milex, 0,
                                                 param(spec.economy->milex_share_gdp) * state.gdp);
      }
    }
    for (std::size_t r = 0; r < s_.rivalries.size(); ++r) {
      rivalries_[r].control = param(s_.rivalries[r].initial_control);
    }
    for (const auto& entry : s_.initial_alignments) align(entry.client, entry.power) = param(entry.value);
    for (std::size_t al = 0; al < s_.alliances.size(); ++al) {
      for (const ActorId m : s_.alliances[al].initial_members) set_member(al, m, true);
    }
    // Loans signed before the scenario starts enter with what was drawn by then; with
    // credit off no loan exists, so nothing is owed either.
    for (std::size_t l = 0; s_.mechanisms.credit && l < s_.loans.size(); ++l) {
      const auto& loan = s_.loans[l];
      const int quarters = static_cast<int>(std::lround(param(loan.disbursement_quarters)));
      const int drawn_before = std::clamp(-loan.start_quarter, 0, quarters);
      loans_[l].disbursed = param(loan.principal) * drawn_before / quarters;
      loans_[l].outstanding = loans_[l].disbursed;
    }
  }

  // ---- 1 scheduled events ----------------------------------------------------------------
  void apply_events() {
    for (auto& rivalry : rivalries_) rivalry.summit = false;
    while (next_event_ < s_.events.size() && s_.events[next_event_].quarter <= t_) {
      const auto& e = s_.events[next_event_++];
      using Type = scenario::Event::Type;
      switch (e.type) {
        case Type::JoinAlliance:
          if (s_.mechanisms.alliances && !member(static_cast<std::size_t>(e.alliance), e.actor)) {
            set_member(static_cast<std::size_t>(e.alliance), e.actor, true);
            event(EventKind::AllianceJoin, e.actor, s_.alliances[static_cast<std::size_t>(e.alliance)].guarantor, 0);
          }
          break;
        case Type::LeaveAlliance:
          if (s_.mechanisms.alliances && member(static_cast<std::size_t>(e.alliance), e.actor)) {
            set_member(static_cast<std::size_t>(e.alliance), e.actor, false);
            event(EventKind::AllianceExit, e.actor, s_.alliances[static_cast<std::size_t>(e.alliance)].guarantor, 0);
          }
          break;
        case Type::Ceasefire:
          if (rivalries_[static_cast<std::size_t>(e.rivalry)].war.active) end_war(static_cast<std::size_t>(e.rivalry), 4.0, e.actor);
          break;
        case Type::Summit:
          rivalries_[static_cast<std::size_t>(e.rivalry)].summit = true;
          event(EventKind::Summit, e.actor, scenario::no_actor, static_cast<double>(e.rivalry));
          break;
        case Type::DeployPeacekeepers: {
          auto& mission = missions_[static_cast<std::size_t>(e.mission)];
          if (!mission.deployed) {
            const auto& spec = s_.missions[static_cast<std::size_t>(e.mission)];
            mission.deployed = true;
            mission.mandate_end = t_ + static_cast<int>(std::lround(param(spec.mandate)));
            event(EventKind::PeacekeepersDeployed, spec.patron, scenario::no_actor, param(spec.size));
          }
          break;
        }
        case Type::WithdrawPeacekeepers:
          withdraw(static_cast<std::size_t>(e.mission));
          break;
      }
    }
  }

  void withdraw(std::size_t m) {
    if (!missions_[m].deployed) return;
    missions_[m].deployed = false;
    event(EventKind::PeacekeepersWithdrawn, s_.missions[m].patron, scenario::no_actor, 0);
  }

  // ---- 2 economy and budgets -------------------------------------------------------------
  [[nodiscard]] double baseline_budget(std::size_t a) const {
    const auto& economy = *s_.actors[a].economy;
    return param(economy.milex_share_gdp) * actors_[a].gdp + param(economy.rent_to_defence) * actors_[a].rents;
  }

  void step_economy() {
    if (!s_.mechanisms.economy) return;  // budgets and GDP stay at their first values
    for (std::size_t a = 0; a < n_; ++a) {
      const auto& spec = s_.actors[a];
      if (!spec.economy) continue;
      const auto& economy = *spec.economy;
      auto& state = actors_[a];
      if (economy.gdp.observed(t_)) {
        state.gdp = economy.gdp.values[static_cast<std::size_t>(t_)];
      } else if (t_ > 0) {
        if (quarter_of_year() == 1 || state.annual_growth == 0.0) {
          // A continuous shock makes every run different from here on: the shared history ends.
          if (recording_ != nullptr && param(economy.gdp_growth_sd) != 0.0) history_ended_ = true;
          rng::Stream shocks = stream(rng::Purpose::Economy, a);
          state.annual_growth = param(economy.gdp_growth) + param(economy.gdp_growth_sd) * rng::standard_normal(shocks);
        }
        state.gdp *= std::exp(state.annual_growth * quarter_years);
      }
      const double rent_share = layout_.rent_share[a][static_cast<std::size_t>(t_)];
      const double price_index = layout_.price_index[a][static_cast<std::size_t>(t_)];
      state.rents = rent_share * price_index * state.gdp;
    }
    // Observed budgets are taken as they are; the others follow the budget rule.
    std::vector<char> done(n_, 0);
    for (std::size_t a = 0; a < n_; ++a) {
      const auto& spec = s_.actors[a];
      if (spec.economy && spec.economy->milex.observed(t_)) {
        actors_[a].milex = spec.economy->milex.values[static_cast<std::size_t>(t_)];
        actors_[a].budget_modelled = false;
        done[a] = 1;
      }
    }
    for (std::size_t r = 0; r < s_.rivalries.size(); ++r) {
      const auto& rivalry = s_.rivalries[r];
      const std::size_t c = idx(rivalry.challenger), d = idx(rivalry.defender);
      if (!s_.actors[c].economy || !s_.actors[d].economy || (done[c] && done[d])) continue;
      richardson_budgets(r, c, d, done);
    }
    for (std::size_t a = 0; a < n_; ++a) {
      if (done[a] || !s_.actors[a].economy) continue;
      actors_[a].milex = clamp_budget(a, baseline_budget(a));
    }
  }

  [[nodiscard]] double clamp_budget(std::size_t a, double budget) const {
    const auto& economy = *s_.actors[a].economy;
    const double floor = param(economy.milex_floor_share_gdp) * actors_[a].gdp;
    const double ceiling = param(economy.milex_ceiling_share_gdp) * actors_[a].gdp;
    return std::clamp(budget, floor, std::max(floor, ceiling));
  }

  /// Richardson's reaction process around each side's economic baseline, stepped exactly.
  /// The grievance-free equilibrium is baseline + reaction*rival/fatigue; at the hand-over
  /// from observed to modelled budgets an offset makes the last observation an equilibrium,
  /// so the model continues the data instead of jumping to its own level.
  void richardson_budgets(std::size_t r, std::size_t c, std::size_t d, std::vector<char>& done) {
    const auto& rivalry = s_.rivalries[r];
    auto& state = rivalries_[r];
    const double reaction = param(rivalry.reaction), fatigue = param(rivalry.fatigue);
    if (reaction != state.cached_reaction || fatigue != state.cached_fatigue) {
      const rules::RichardsonExactStep unit_g({.k = reaction, .l = reaction, .a = fatigue, .b = fatigue, .g = 1, .h = 0},
                                             quarter_years);
      const rules::RichardsonExactStep unit_h({.k = reaction, .l = reaction, .a = fatigue, .b = fatigue, .g = 0, .h = 1},
                                             quarter_years);
      state.phi = unit_g.transition();
      state.gamma_matrix = {unit_g.offset()[0], unit_h.offset()[0], unit_g.offset()[1], unit_h.offset()[1]};
      state.cached_reaction = reaction;
      state.cached_fatigue = fatigue;
    }
    for (const std::size_t a : {c, d}) {
      auto& actor_state = actors_[a];
      if (!done[a] && !actor_state.budget_modelled) {
        actor_state.budget_modelled = true;
        const double rival = actors_[a == c ? d : c].milex;
        const double grievance = a == c ? param(rivalry.grievance) : 0.0;
        actor_state.budget_offset =
            fatigue > tiny ? actor_state.milex - (baseline_budget(a) + (reaction * rival + grievance) / fatigue) : 0.0;
      }
    }
    const double g = fatigue * (baseline_budget(c) + actors_[c].budget_offset) + param(rivalry.grievance);
    const double h = fatigue * (baseline_budget(d) + actors_[d].budget_offset);
    if (done[c] != done[d]) {
      // One budget is data: it drives the other's equation as an input held over the
      // quarter, not as a state projected by a rule the data do not follow.
      const std::size_t modelled = done[c] ? d : c;
      const double drive = (modelled == c ? g : h) + reaction * actors_[modelled == c ? d : c].milex;
      const double own = actors_[modelled].milex;
      const double decay = std::exp(-fatigue * quarter_years);
      const double next = fatigue > tiny ? own * decay + (1.0 - decay) * drive / fatigue : own + drive * quarter_years;
      actors_[modelled].milex = clamp_budget(modelled, next);
      done[c] = done[d] = 1;
      return;
    }
    const double x = actors_[c].milex, y = actors_[d].milex;
    const auto& phi = state.phi;
    const auto& gm = state.gamma_matrix;
    const double next_x = phi[0] * x + phi[1] * y + gm[0] * g + gm[1] * h;
    const double next_y = phi[2] * x + phi[3] * y + gm[2] * g + gm[3] * h;
    if (!done[c]) actors_[c].milex = clamp_budget(c, next_x);
    if (!done[d]) actors_[d].milex = clamp_budget(d, next_y);
    done[c] = done[d] = 1;
  }

  // ---- 3 credit ----------------------------------------------------------------------------
  void step_credit() {
    for (auto& actor_state : actors_) actor_state.debt_service = 0.0;
    if (!s_.mechanisms.credit) return;
    for (std::size_t l = 0; l < s_.loans.size(); ++l) {
      const auto& loan = s_.loans[l];
      auto& state = loans_[l];
      const double principal = param(loan.principal);
      const int quarters = static_cast<int>(std::lround(param(loan.disbursement_quarters)));
      const double forgiven = param(loan.forgiven);
      if (forgiven > state.forgiven_applied) {  // forgiveness applies to what is still owed
        state.outstanding *= (1.0 - forgiven) / (1.0 - state.forgiven_applied);
        state.forgiven_applied = forgiven;
        state.annuity_set = false;
      }
      const int since_start = t_ - loan.start_quarter;
      const double rate_q = param(loan.rate) * quarter_years;
      if (since_start >= 0 && since_start < quarters) {
        const double tranche = principal / quarters;
        state.disbursed += tranche;
        state.outstanding += tranche;
        loan_disbursement_[l] = tranche;
        event(EventKind::LoanDisbursed, loan.borrower, loan.lender, tranche);
      } else {
        loan_disbursement_[l] = 0.0;
      }
      if (since_start < 0 || state.outstanding <= tiny) continue;
      const int grace = static_cast<int>(std::lround(param(loan.grace) * 4.0));
      const int delay = static_cast<int>(std::lround(param(loan.rescheduled_delay)));
      const int repay_from = loan.start_quarter + grace + delay;
      const int periods = static_cast<int>(std::lround(param(loan.term) * 4.0));
      double due = 0.0;
      if (t_ < repay_from) {
        due = state.outstanding * rate_q;  // interest only during grace
      } else {
        if (!state.annuity_set || state.repayment_start != repay_from) {
          // Level payment over the remaining term, recomputed after forgiveness or rescheduling.
          const int remaining = std::max(1, repay_from + periods - t_);
          state.payment = state.outstanding / rules::annuity_factor(rate_q, remaining);
          state.repayment_start = repay_from;
          state.annuity_set = true;
        }
        const double interest = state.outstanding * rate_q;
        due = std::min(state.payment, state.outstanding + interest);
        state.outstanding = std::max(0.0, state.outstanding + interest - due);
      }
      actors_[idx(loan.borrower)].debt_service += due;
    }
  }

  // ---- 4 arms market -----------------------------------------------------------------------
  /// Recipient-side logit utility of buying from the supplier of `pair`, or -inf when the
  /// supplier will not or cannot sell. ln(availability) folds willingness, embargo and
  /// the supplier's capacity into the choice, so unavailable suppliers drop out and their
  /// share goes to the others.
  [[nodiscard]] double supplier_utility(std::size_t pair, double strategy_factor) const {
    return static_supplier_utility(pair, strategy_factor) + alignment_utility(pair);
  }

  /// The alignment term of supplier_utility: it moves every quarter.
  [[nodiscard]] double alignment_utility(std::size_t pair) const {
    const auto& relation = s_.arms[pair];
    return param(actor(relation.recipient).military.alignment_weight) * alignment(relation.recipient, relation.supplier);
  }

  /// Everything else in supplier_utility: it changes only with parameters and sales decisions.
  [[nodiscard]] double static_supplier_utility(std::size_t pair, double strategy_factor) const {
    const auto& relation = s_.arms[pair];
    const auto& military = actor(relation.recipient).military;
    const double availability = param(relation.willingness) * (1.0 - param(relation.embargo)) *
                                capacity(relation.supplier) * strategy_factor;
    if (availability <= 1e-9) return -std::numeric_limits<double>::infinity();
    return -param(military.price_sensitivity) * std::log(param(relation.price)) + param(relation.preference) +
           std::log(param(relation.quality)) + std::log(availability);
  }


  /// The parts of supplier_utility that change only with parameters (logs are the costly
  /// part of the market step): recomputed when a parameter or a sales decision changes.
  void refresh_static_utilities() {
    if (static_utility_version_ == p_.version() && static_utility_strategy_ == strategy_version_) return;
    static_utility_.resize(s_.arms.size());
    for (std::size_t pair = 0; pair < s_.arms.size(); ++pair) {
      static_utility_[pair] = static_supplier_utility(pair, strategy_factors_[pair]);
    }
    static_utility_version_ = p_.version();
    static_utility_strategy_ = strategy_version_;
  }

  /// Splits each recipient's import budget across its suppliers; returns spending per pair.
  void supplier_shares(ActorId recipient, const std::vector<double>& strategy_factors, std::vector<double>& shares) {
    scratch_suppliers_.clear();
    scratch_utilities_.clear();
    const bool current_strategy = &strategy_factors == &strategy_factors_;
    if (current_strategy) refresh_static_utilities();
    for (const std::size_t pair : layout_.incoming_pairs[idx(recipient)]) {
      const double u = current_strategy ? static_utility_[pair] + alignment_utility(pair)
                                        : supplier_utility(pair, strategy_factors[pair]);
      if (!std::isfinite(u)) continue;
      scratch_suppliers_.push_back(pair);
      scratch_utilities_.push_back(u);
    }
    shares.assign(s_.arms.size(), 0.0);
    if (scratch_suppliers_.empty()) return;
    scratch_shares_.resize(scratch_suppliers_.size());
    const double lambda = 1.0 / param(actor(recipient).military.diversification);
    rules::logit_shares(scratch_utilities_, lambda, scratch_shares_);
    for (std::size_t k = 0; k < scratch_suppliers_.size(); ++k) shares[scratch_suppliers_[k]] = scratch_shares_[k];
  }

  [[nodiscard]] double import_budget(std::size_t a) const {
    const auto& spec = s_.actors[a];
    if (!spec.economy) return 0.0;
    const double procurement = actors_[a].milex * param(spec.military.procurement_share) * quarter_years;
    return std::max(0.0, procurement * param(spec.military.import_share) - actors_[a].debt_service);
  }

  void step_arms_market() {
    for (auto& actor_state : actors_) {
      actor_state.revenue = 0.0;
      actor_state.imports = 0.0;
      actor_state.order_flow = 0.0;
    }
    for (std::size_t p = 0; p < pairs_.size(); ++p) {
      auto& pair = pairs_[p];
      pair.lag = std::clamp(static_cast<int>(std::lround(param(s_.arms[p].delivery_lag))), 0, max_delivery_lag);
      pair.ordered = 0.0;
      pair.spending = 0.0;
      pair.delivered = pair.pipeline[0];
      std::rotate(pair.pipeline.begin(), pair.pipeline.begin() + 1, pair.pipeline.end());
      pair.pipeline.back() = 0.0;
    }
    if (!s_.mechanisms.arms_market) {
      for (auto& pair : pairs_) pair.delivered = 0.0;
      return;
    }
    std::vector<double>& shares = scratch_pair_shares_;
    for (std::size_t a = 0; a < n_; ++a) {
      if (layout_.incoming_pairs[a].empty()) continue;
      const double budget = import_budget(a);
      supplier_shares(static_cast<ActorId>(a), strategy_factors_, shares);
      for (const std::size_t pair : layout_.incoming_pairs[a]) pairs_[pair].spending = budget * shares[pair];
    }
    // Purpose-bound credit buys only the lender's arms; other credit joins the budget.
    for (std::size_t l = 0; l < s_.loans.size(); ++l) {
      if (loan_disbursement_[l] <= 0.0) continue;
      const auto& loan = s_.loans[l];
      for (std::size_t pair = 0; pair < s_.arms.size(); ++pair) {
        if (s_.arms[pair].recipient == loan.borrower && s_.arms[pair].supplier == loan.lender) {
          pairs_[pair].spending += loan_disbursement_[l];
          break;
        }
      }
    }
    for (std::size_t pair = 0; pair < s_.arms.size(); ++pair) {
      const auto& relation = s_.arms[pair];
      auto& state = pairs_[pair];
      if (state.spending <= 0.0) continue;
      const double ordered = state.spending / param(relation.price) * param(relation.quality);
      state.ordered = ordered;
      if (state.lag == 0) {
        state.delivered += ordered;
      } else {
        state.pipeline[static_cast<std::size_t>(state.lag - 1)] += ordered;
      }
      state.revenue_total += state.spending;
      auto& supplier = actors_[idx(relation.supplier)];
      supplier.revenue += state.spending;
      supplier.revenue_total += state.spending;
      actors_[idx(relation.recipient)].imports += state.spending;
      actors_[idx(relation.recipient)].order_flow += ordered;
    }
  }

  // ---- 5-6 backers and capability ------------------------------------------------------------
  [[nodiscard]] bool at_war(ActorId a) const {
    for (std::size_t r = 0; r < s_.rivalries.size(); ++r) {
      if (!rivalries_[r].war.active) continue;
      const auto& rivalry = s_.rivalries[r];
      if (rivalry.challenger == a || rivalry.defender == a) return true;
      if (std::find(rivalry.defender_partners.begin(), rivalry.defender_partners.end(), a) !=
          rivalry.defender_partners.end()) {
        return true;
      }
    }
    return false;
  }

  void step_backers_and_capability() {
    for (std::size_t a = 0; a < n_; ++a) {
      const auto& spec = s_.actors[a];
      auto& state = actors_[a];
      const double depreciation = param(spec.military.depreciation);
      if (depreciation != state.retention_for) {
        state.retention = std::pow(1.0 - depreciation, quarter_years);
        state.retention_for = depreciation;
      }
      double domestic = 0.0;
      if (spec.economy) {
        domestic = state.milex * param(spec.military.procurement_share) * (1.0 - param(spec.military.import_share)) *
                   quarter_years;
      }
      state.other_flow = domestic;
      state.quality = s_.mechanisms.quality ? param(spec.military.quality) : 1.0;
    }
    if (s_.mechanisms.backers) {
      for (const auto& backing : s_.backings) {
        auto& client = actors_[idx(backing.client)];
        const double surge = at_war(backing.client) ? param(backing.wartime_surge) : 1.0;
        client.other_flow += param(backing.materiel) * quarter_years * surge * capacity(backing.backer);
        if (s_.mechanisms.quality) client.quality *= 1.0 + param(backing.advisers);
      }
    }
    for (std::size_t a = 0; a < n_; ++a) {
      auto& state = actors_[a];
      double delivered = 0.0;
      for (const std::size_t pair : layout_.incoming_pairs[a]) delivered += pairs_[pair].delivered;
      state.capability = state.capability * state.retention + delivered + state.other_flow;
    }
  }

  // ---- 7 alignment ------------------------------------------------------------------------------
  void step_alignment() {
    if (!s_.mechanisms.alignment) return;
    const auto& params = s_.parameters.alignment;
    const double gain = param(params.support_gain) * quarter_years;
    const double hostile = param(params.hostile_sales_loss) * quarter_years;
    for (std::size_t pair = 0; pair < s_.arms.size(); ++pair) {
      const auto& relation = s_.arms[pair];
      const double imports = actors_[idx(relation.recipient)].imports;
      if (imports <= 0.0) continue;
      const double dependence = pairs_[pair].spending / imports;
      double& a = align(relation.recipient, relation.supplier);
      a += gain * dependence * (1.0 - a);
      // Arming a client's rival erodes that client's trust in the supplier.
      for (const auto& rivalry : s_.rivalries) {
        ActorId aggrieved = scenario::no_actor;
        if (relation.recipient == rivalry.challenger) aggrieved = rivalry.defender;
        if (relation.recipient == rivalry.defender) aggrieved = rivalry.challenger;
        if (aggrieved == scenario::no_actor || aggrieved == relation.supplier) continue;
        double& trust = align(aggrieved, relation.supplier);
        trust -= hostile * dependence * trust;
      }
    }
    if (!s_.mechanisms.alliances) return;
    const double threshold = param(params.exit_threshold);
    for (std::size_t al = 0; al < s_.alliances.size(); ++al) {
      const ActorId guarantor = s_.alliances[al].guarantor;
      for (std::size_t a = 0; a < n_; ++a) {
        const auto member_id = static_cast<ActorId>(a);
        if (member_id == guarantor || !member(al, member_id)) continue;
        if (alignment(member_id, guarantor) < threshold) {
          set_member(al, member_id, false);
          event(EventKind::AllianceExit, member_id, guarantor, alignment(member_id, guarantor));
        }
      }
    }
  }

  // ---- 8 negotiation ----------------------------------------------------------------------------
  void step_negotiation() {
    if (!s_.mechanisms.negotiation) return;
    for (auto& rivalry : rivalries_) rivalry.concession = 0.0;
    for (std::size_t i = 0; i < s_.issues.size(); ++i) {
      const auto& issue = s_.issues[i];
      auto& arrays = negotiation_inputs_;
      arrays.capability.clear();
      arrays.position.clear();
      arrays.salience.clear();
      for (const auto& stake : issue.stakes) {
        const auto& state = actors_[idx(stake.actor)];
        // Leverage on the issue: military strength for the parties, and for outside powers
        // their strength scaled by the issue-specific leverage the scenario gives them.
        arrays.capability.push_back(std::max(1e-6, param(stake.leverage) * std::max(state.strength(), state.milex)));
        arrays.position.push_back(param(stake.position));
        arrays.salience.push_back(param(stake.salience));
      }
      const negotiation::ActorArrays actors{arrays.capability, arrays.position, arrays.salience};
      // One model per issue, reset each year: its buffers are allocated once per run.
      if (i >= bargaining_.size()) {
        negotiation::NegotiationOptions options;
        options.rounds = issue.rounds;
        options.issue_range = 100.0;
        bargaining_.emplace_back(actors, options);
      } else {
        bargaining_[i].reset(actors);
      }
      auto& model = bargaining_[i];
      for (int round = 0; round < issue.rounds; ++round) model.run_round(nullptr);
      const double forecast = model.forecast();
      issue_forecast_[i] = forecast;
      const double goal = param(issue.challenger_goal);
      // The forecast settles the issue; the closer it is to the challenger's goal, the
      // more of the stake the defender can concede without a war.
      const double concession =
          param(issue.settlement_effect) * std::clamp(1.0 - std::abs(forecast - goal) / 100.0, 0.0, 1.0);
      auto& rivalry = rivalries_[static_cast<std::size_t>(issue.rivalry)];
      if (concession > rivalry.concession) rivalry.concession = concession;
      event(EventKind::Settlement, s_.rivalries[static_cast<std::size_t>(issue.rivalry)].challenger, scenario::no_actor,
            concession);
    }
  }

  // ---- 9 patron strategy ------------------------------------------------------------------------
  /// An optimising power picks, once a year, whether to sell to each client fully, by
  /// half or not at all, maximising revenue + goodwill - war risk over the coming year
  /// with everything else held as it is (a myopic best response, docs/model.md).
  void step_patron_strategy() {
    if (!s_.mechanisms.patron_strategy) return;
    for (std::size_t a = 0; a < n_; ++a) {
      const auto& power = s_.actors[a].power;
      if (!power || power->strategy != scenario::Strategy::Optimise) continue;
      std::vector<std::size_t> own_pairs;
      for (std::size_t pair = 0; pair < s_.arms.size(); ++pair) {
        if (s_.arms[pair].supplier == static_cast<ActorId>(a)) own_pairs.push_back(pair);
      }
      if (own_pairs.empty() || own_pairs.size() > 6) continue;  // 3^6 options at most
      constexpr std::array<double, 3> levels{0.0, 0.5, 1.0};
      std::size_t options = 1;
      for (std::size_t k = 0; k < own_pairs.size(); ++k) options *= levels.size();
      double best_utility = -std::numeric_limits<double>::infinity();
      std::vector<double> best = strategy_factors_;
      std::vector<double> trial = strategy_factors_;
      std::vector<double> shares;
      for (std::size_t option = 0; option < options; ++option) {
        std::size_t code = option;
        for (const std::size_t pair : own_pairs) {
          trial[pair] = levels[code % levels.size()];
          code /= levels.size();
        }
        double revenue = 0.0, goodwill = 0.0;
        std::vector<double> strength(n_);
        for (std::size_t r = 0; r < n_; ++r) strength[r] = actors_[r].strength();
        for (const std::size_t pair : own_pairs) {
          const ActorId recipient = s_.arms[pair].recipient;
          supplier_shares(recipient, trial, shares);
          const double yearly = 4.0 * import_budget(idx(recipient)) * shares[pair];
          revenue += yearly;
          goodwill += trial[pair] * alignment(recipient, static_cast<ActorId>(a));
          // A year of this supplier's deliveries, relative to what the current policy brings.
          const double current = pairs_[pair].spending;
          strength[idx(recipient)] += actors_[idx(recipient)].quality * (yearly - 4.0 * current) /
                                      param(s_.arms[pair].price) * param(s_.arms[pair].quality);
        }
        double war_risk = 0.0;
        for (std::size_t r = 0; r < s_.rivalries.size(); ++r) {
          const auto assessment = assess_with_strengths(r, strength);
          war_risk += 1.0 - std::pow(1.0 - assessment.hazard, 4.0);
        }
        const double utility = param(power->revenue_weight) * revenue + param(power->goodwill_weight) * goodwill -
                               param(power->war_cost) * war_risk;
        if (utility > best_utility + 1e-12) {
          best_utility = utility;
          best = trial;
        }
      }
      if (best != strategy_factors_) ++strategy_version_;
      strategy_factors_ = best;
    }
  }

  // ---- 10 crisis, onset and war ----------------------------------------------------------------
  [[nodiscard]] double strength_of(ActorId a, const std::vector<double>* override_strength) const {
    return override_strength ? (*override_strength)[idx(a)] : actors_[idx(a)].strength();
  }

  [[nodiscard]] double defender_side(const scenario::Rivalry& rivalry, const std::vector<double>* o) const {
    double total = strength_of(rivalry.defender, o);
    for (const ActorId partner : rivalry.defender_partners) total += strength_of(partner, o);
    return total;
  }

  [[nodiscard]] double political_backing_of(ActorId client) const {
    if (!s_.mechanisms.backers) return 0.0;
    double backing = 0.0;
    for (const auto& b : s_.backings) {
      if (b.client == client) backing = std::max(backing, param(b.political) * capacity(b.backer));
    }
    return backing;
  }

  void gather_assessment_inputs(std::size_t r, const std::vector<double>* o, bool project,
                                AssessmentInputs& in) const {
    const auto& rivalry = s_.rivalries[r];
    in.challenger = strength_of(rivalry.challenger, o);
    in.defender_side = defender_side(rivalry, o);
    in.control = rivalries_[r].control;
    in.concession = rivalries_[r].concession;
    in.summit = rivalries_[r].summit;
    in.protected_member.assign(s_.alliances.size(), scenario::no_actor);
    in.guarantor_strength.assign(s_.alliances.size(), 0.0);
    for (std::size_t al = 0; al < s_.alliances.size(); ++al) {
      ActorId protected_member = scenario::no_actor;
      if (member(al, rivalry.defender)) protected_member = rivalry.defender;
      for (const ActorId partner : rivalry.defender_partners) {
        if (protected_member == scenario::no_actor && member(al, partner)) protected_member = partner;
      }
      in.protected_member[al] = protected_member;
      in.guarantor_strength[al] = strength_of(s_.alliances[al].guarantor, o);
    }
    in.challenger_alignment.resize(s_.mediations.size());
    in.defender_alignment.resize(s_.mediations.size());
    for (std::size_t k = 0; k < s_.mediations.size(); ++k) {
      in.challenger_alignment[k] = alignment(rivalry.challenger, s_.mediations[k].mediator);
      in.defender_alignment[k] = alignment(rivalry.defender, s_.mediations[k].mediator);
    }
    in.mission_deployed.resize(s_.missions.size());
    for (std::size_t m = 0; m < s_.missions.size(); ++m) in.mission_deployed[m] = missions_[m].deployed ? 1 : 0;
    in.challenger_path.clear();
    in.defender_path.clear();
    if (project) {
      const int horizon = static_cast<int>(std::lround(param(s_.parameters.war_onset.horizon)));
      const auto steps = static_cast<std::size_t>(horizon) + 1;
      in.challenger_path.assign(steps, 0.0);
      in.defender_path.assign(steps, 0.0);
      add_strength_path(rivalry.challenger, horizon, in.challenger_path);
      add_strength_path(rivalry.defender, horizon, in.defender_path);
      for (const ActorId partner : rivalry.defender_partners) add_strength_path(partner, horizon, in.defender_path);
    }
  }

  struct Guarantee {
    std::size_t alliance = npos;
    double probability = 0.0;  // that the guarantor fights, as the rivals expect it
    double ally_strength = 0.0;
    bool in_scope = false;
    ActorId member = scenario::no_actor;
  };

  /// The strongest expected guarantee to the defender side. An attack on the disputed
  /// area is in scope only for treaties that cover disputed areas (Leeds et al. 2000:
  /// judge reliability against the specific promise).
  [[nodiscard]] Guarantee guarantee(const scenario::Rivalry& rivalry, const AssessmentInputs& in) const {
    Guarantee best;
    if (!s_.mechanisms.alliances) return best;
    const double backer_cover = political_backing_of(rivalry.challenger);
    for (std::size_t al = 0; al < s_.alliances.size(); ++al) {
      const auto& alliance = s_.alliances[al];
      if (alliance.guarantor == rivalry.challenger) continue;
      const ActorId protected_member = in.protected_member[al];
      if (protected_member == scenario::no_actor) continue;
      const bool in_scope = alliance.scope == scenario::AllianceScope::MembersTerritoryAndDisputedAreas;
      const auto& power = actor(alliance.guarantor).power;
      const double aversion = power ? param(power->backer_aversion) : 0.0;
      const double probability = rules::intervention_probability(in_scope, param(alliance.reliability),
                                                                 param(alliance.discretionary_reliability)) *
                                 will(alliance.guarantor) * capacity(alliance.guarantor) *
                                 (1.0 - aversion * backer_cover);
      const double ally = param(alliance.ally_weight) * in.guarantor_strength[al];
      if (probability * ally > best.probability * best.ally_strength || best.alliance == npos) {
        best = {al, probability, ally, in_scope, protected_member};
      }
    }
    return best;
  }

  /// Hazard multiplier of the peacekeepers on this rivalry: the Fortna-type reduction,
  /// but only to the degree the patron is believed willing and able to fight (tripwire).
  [[nodiscard]] double peacekeeping_factor(std::size_t r, const AssessmentInputs& in, double* troops) const {
    double factor = 1.0;
    if (troops) *troops = 0.0;
    for (std::size_t m = 0; m < s_.missions.size(); ++m) {
      const auto& mission = s_.missions[m];
      if (mission.rivalry != static_cast<int>(r) || in.mission_deployed[m] == 0) continue;
      if (troops) *troops += param(mission.size);
      if (!s_.mechanisms.peacekeeping) continue;
      const auto& power = actor(mission.patron).power;
      const double aversion = power ? param(power->backer_aversion) : 0.0;
      const double credibility = will(mission.patron) * capacity(mission.patron) *
                                 (1.0 - aversion * political_backing_of(s_.rivalries[r].challenger));
      factor *= 1.0 - (1.0 - param(mission.hazard_ratio)) * credibility;
    }
    return factor;
  }

  [[nodiscard]] rules::KyddParams kydd_params(const scenario::Mediation& mediation, double win_probability,
                                              double challenger_cost, double defender_cost, double spread) const {
    // The counselled side is A; the other side's resolve is the private information,
    // a resolved type at its expected cost and an irresolute one a spread above it.
    return {.p = win_probability, .cost_a = challenger_cost, .cost_high = defender_cost,
            .cost_low = defender_cost + spread, .prior_high = 0.5, .accuracy = param(mediation.accuracy),
            .war_aversion = param(mediation.war_aversion)};
  }

  /// Challenger's war costs, lowered by a backer's political cover.
  [[nodiscard]] double challenger_cost(const scenario::Rivalry& rivalry) const {
    return param(rivalry.war_cost_challenger) * (1.0 - political_backing_of(rivalry.challenger)) /
           param(rivalry.stake_value);
  }

  /// Probability that a crisis ends in war: the defender makes the risk-return optimal
  /// offer (Fearon 1995) against the challenger's private cost, uniform on
  /// [cost, cost + spread], but cannot give more than it holds nor more than the
  /// negotiated concession: the indivisibility that keeps the status quo outside the
  /// bargaining range when the balance shifts.
  [[nodiscard]] double crisis_war_probability(std::size_t r, double win_probability,
                                              const AssessmentInputs& in) const {
    const auto& rivalry = s_.rivalries[r];
    const double cost_c = challenger_cost(rivalry);
    const double cost_d = param(rivalry.war_cost_defender) / param(rivalry.stake_value);
    const double spread = param(rivalry.resolve_uncertainty);
    const double held = in.control;
    const auto offer = rules::fearon_uniform_offer(1.0 - win_probability + cost_c, cost_d, spread);
    const double keep = std::clamp(offer.offer, held - in.concession, held);
    return std::clamp((keep - (1.0 - win_probability) - cost_c) / spread, 0.0, 1.0);
  }

  /// Capabilities over the next `horizon` quarters: stocks wear out, the pipeline arrives,
  /// and this quarter's orders and production continue at their current rate.
  void add_strength_path(ActorId a, int horizon, std::vector<double>& path) const {
    const auto& state = actors_[idx(a)];
    double stock = state.capability;
    double arrived = 0.0;
    const auto& incoming = layout_.incoming_pairs[idx(a)];
    for (int k = 0; k <= horizon; ++k) {
      double future = stock + arrived + state.other_flow * k;
      for (const std::size_t pair : incoming) {
        const auto& p = pairs_[pair];
        if (k > 0 && k <= max_delivery_lag) arrived += p.pipeline[static_cast<std::size_t>(k - 1)];
        if (k > p.lag) future += (k - p.lag) * p.ordered;
      }
      path[static_cast<std::size_t>(k)] += state.quality * future;
      stock *= state.retention;
    }
  }

  struct Assessment {
    double win_probability = 0.5;  // the challenger's, with the expected guarantee
    double crisis_war_probability = 0.0;
    double mediation_factor = 1.0;
    double credible_mediation = 0.0;
    double gap = -1.0;
    double hazard = 0.0;
    double troops = 0.0;
  };

  /// A mediator counselling restraint to one side is believed only if it leans to that
  /// side at least as far as Kydd's threshold (Kydd 2003).
  [[nodiscard]] bool credible_to(std::size_t k, bool to_challenger, double win_probability, std::size_t r,
                                 const AssessmentInputs& in) const {
    const auto& mediation = s_.mediations[k];
    const auto& rivalry = s_.rivalries[r];
    const double cost_c = challenger_cost(rivalry);
    const double cost_d = param(rivalry.war_cost_defender) / param(rivalry.stake_value);
    const double spread = param(rivalry.resolve_uncertainty);
    const double bias_to_challenger = mediator_bias(k, in);
    const double bias = to_challenger ? bias_to_challenger : 1.0 - bias_to_challenger;
    const auto kydd = to_challenger ? kydd_params(mediation, win_probability, cost_c, cost_d, spread)
                                    : kydd_params(mediation, 1.0 - win_probability, cost_d, cost_c, spread);
    return rules::kydd_is_credible(bias, kydd);
  }

  /// The mediator's lean toward the challenger. With alignment_bias > 0 it follows the
  /// parties' alignment with the mediator (models.md §5.1: a mediator's bias can drift with
  /// arms-sales shares and alliances), so a patron that arms a side gains its trust.
  [[nodiscard]] double mediator_bias(std::size_t k, const AssessmentInputs& in) const {
    const auto& mediation = s_.mediations[k];
    const double drift = param(mediation.alignment_bias) * (in.challenger_alignment[k] - in.defender_alignment[k]);
    return std::clamp(param(mediation.bias_to_challenger) + drift, 0.0, 1.0);
  }

  [[nodiscard]] double mediator_effort(std::size_t k, const AssessmentInputs& in) const {
    const auto& mediation = s_.mediations[k];
    const double effort = in.summit ? 1.0 : param(mediation.effort);
    return effort * capacity(mediation.mediator);
  }

  /// War risk and its parts for rivalry r: the state comes in through `in`, with strength
  /// paths if the commitment problem is to be assessed.
  [[nodiscard]] Assessment evaluate(std::size_t r, const AssessmentInputs& in) {
    const auto& rivalry = s_.rivalries[r];
    const auto& onset = s_.parameters.war_onset;
    Assessment result;
    const double m = param(onset.decisiveness);
    const double advantage = param(onset.defence_advantage);
    const Guarantee g = guarantee(rivalry, in);
    const double c = in.challenger;
    const double d = in.defender_side * advantage;
    result.win_probability = 1.0 - rules::alliance_adjusted_win_probability(d, c, g.ally_strength, g.probability, m);
    result.crisis_war_probability = crisis_war_probability(r, result.win_probability, in);
    if (s_.mechanisms.mediation) {
      for (std::size_t k = 0; k < s_.mediations.size(); ++k) {
        const auto& mediation = s_.mediations[k];
        if (mediation.rivalry != static_cast<int>(r)) continue;
        const double effort = mediator_effort(k, in);
        if (effort <= 0.0 || !credible_to(k, true, result.win_probability, r, in)) continue;
        // Credible counsel turns the risky demand into an informed one: war only when the
        // mediator's read is wrong, a factor (1 - accuracy) at full effort (K1).
        result.mediation_factor *= 1.0 - effort * param(mediation.accuracy);
        result.credible_mediation += effort;
      }
    }
    const double crisis_rate = param(rivalry.crisis_rate);
    const double info_hazard =
        1.0 - std::exp(-crisis_rate * quarter_years * result.crisis_war_probability * result.mediation_factor);
    double commitment_hazard = 0.0;
    if (!in.challenger_path.empty()) {
      const std::size_t steps = in.challenger_path.size();
      scratch_path_.resize(steps);
      for (std::size_t k = 0; k < steps; ++k) {
        scratch_path_[k] = 1.0 - rules::alliance_adjusted_win_probability(in.defender_path[k] * advantage,
                                                                          in.challenger_path[k], g.ally_strength,
                                                                          g.probability, m);
      }
      const double yearly_discount = param(onset.discount);
      if (yearly_discount != discount_per_year_) {  // a pow() per quarter is worth saving
        discount_per_year_ = yearly_discount;
        discount_per_quarter_ = rules::quarterly_discount(yearly_discount);
      }
      const auto gap = rules::commitment_gap(scratch_path_, challenger_cost(rivalry),
                                             param(rivalry.war_cost_defender) / param(rivalry.stake_value),
                                             discount_per_quarter_);
      result.gap = gap.gap;
      commitment_hazard =
          rules::logistic_hazard(gap.gap, param(onset.commitment_hazard_max), param(onset.commitment_gap_scale));
    }
    const double factor = peacekeeping_factor(r, in, &result.troops);
    result.hazard = (1.0 - (1.0 - info_hazard) * (1.0 - commitment_hazard)) * factor;
    if (!s_.mechanisms.war_onset) result.hazard = 0.0;
    return result;
  }

  /// Assessment of rivalry r as it would stand with other strengths (a patron's what-if; no
  /// commitment-problem projection).
  [[nodiscard]] Assessment assess_with_strengths(std::size_t r, const std::vector<double>& strength) {
    gather_assessment_inputs(r, &strength, false, scratch_inputs_);
    return evaluate(r, scratch_inputs_);
  }

  /// The rivalry's outputs that follow from its assessment, incidents included; they feed
  /// nothing else, which is why runs on the shared history can compute their own.
  void note_assessment(std::size_t r, const Assessment& a, bool at_war) {
    auto& state = rivalries_[r];
    state.win_probability = a.win_probability;
    state.crisis_war_probability = a.crisis_war_probability;
    state.credible_mediation = a.credible_mediation;
    state.commitment_gap = a.gap;
    state.troops = a.troops;
    state.hazard = at_war ? 0.0 : a.hazard;
    rng::Stream incidents = stream(rng::Purpose::Incidents, r);
    state.incidents = at_war ? 0.0 : rng::poisson(incidents, incident_mean(s_.rivalries[r], a.win_probability));
  }

  /// Poisson mean of this quarter's incidents on the line of contact at peace: a tension
  /// indicator that rises with the challenger's prospects (escalation_scale sets how fast).
  [[nodiscard]] double incident_mean(const scenario::Rivalry& rivalry, double win_probability) const {
    const double tension = std::exp((win_probability - 0.5) / param(s_.parameters.war_onset.escalation_scale));
    return param(rivalry.incident_rate) * quarter_years * std::min(tension, 100.0);
  }

  void step_rivalry(std::size_t r) {
    auto& state = rivalries_[r];
    state.fought_this_quarter = state.war.active;
    gather_assessment_inputs(r, nullptr, true, scratch_inputs_);
    if (recording_ != nullptr) {
      recording_->assessments.push_back(scratch_inputs_);
      p_.read_for_outputs_only(true);
    }
    const Assessment a = evaluate(r, scratch_inputs_);
    note_assessment(r, a, state.war.active);
    if (recording_ != nullptr) p_.read_for_outputs_only(false);
    if (state.war.active) {
      fight(r);
      return;
    }
    if (recording_ != nullptr) return;  // the trunk stays at peace: wars are the runs' own
    if (stream(rng::Purpose::WarOnset, r).next_unit() < a.hazard) start_war(r, a.win_probability);
  }

  void start_war(std::size_t r, double win_probability) {
    check_invariant(recording_ == nullptr, "the trunk of the shared history never goes to war");
    const auto& rivalry = s_.rivalries[r];
    const auto& war_params = s_.parameters.war;
    auto& state = rivalries_[r];
    auto& war = state.war;
    war = WarState{};
    war.active = true;
    war.onset_quarter = t_;
    war.control_at_onset = state.control;
    war.against_enclave = param(rivalry.blockade) >= 0.5;
    state.fought_this_quarter = true;
    event(EventKind::WarStarted, rivalry.challenger, rivalry.defender, win_probability);
    gather_assessment_inputs(r, nullptr, false, scratch_inputs_);
    const Guarantee g = guarantee(rivalry, scratch_inputs_);
    if (g.alliance != npos) {
      rng::Stream draw = stream(rng::Purpose::Alliance, r);
      const ActorId guarantor = s_.alliances[g.alliance].guarantor;
      if (draw.next_unit() < g.probability) {
        war.ally_strength = g.ally_strength;
        event(EventKind::AllianceHonoured, guarantor, g.member, g.probability);
      } else if (s_.mechanisms.alignment) {
        // The client counted on the guarantor fully inside the treaty's scope, partly outside it.
        const auto& params = s_.parameters.alignment;
        const double loss = param(params.abandonment_loss) * (g.in_scope ? 1.0 : param(params.out_of_scope_expectation));
        for (ActorId client : {rivalry.defender, g.member}) {
          align(client, guarantor) *= 1.0 - loss;
          if (client == g.member) break;
        }
        event(EventKind::Abandonment, guarantor, g.member, loss);
      }
    }
    const double front = param(war_params.front_share);
    war.x0 = war.x = front * actors_[idx(rivalry.challenger)].strength();
    war.y0 = war.y = front * defender_side(rivalry, nullptr) + front * war.ally_strength;
    if (!s_.mechanisms.war_dynamics) {
      end_war(r, 2.0, scenario::no_actor);
      return;
    }
    fight(r);
  }

  /// Daily Lanchester attrition (aimed fire, closed form) with a contest for ground.
  void fight(std::size_t r) {
    const auto& rivalry = s_.rivalries[r];
    const auto& war_params = s_.parameters.war;
    auto& state = rivalries_[r];
    auto& war = state.war;
    const double advantage = param(s_.parameters.war_onset.defence_advantage);
    const double m = param(s_.parameters.war_onset.decisiveness);
    const double attrition = param(war_params.attrition);
    const double breakpoint = param(war_params.breakpoint);
    const double territory_rate = param(war_params.territory_rate);
    const double exhaustion = param(war_params.exhaustion) / 365.0;
    const double deaths_per_unit = param(war_params.deaths_per_capability);
    const double displaced_per_unit = param(war_params.displaced_share) * param(rivalry.area_population);
    const double quality_c = std::max(actors_[idx(rivalry.challenger)].quality, tiny);
    const double quality_d = std::max(actors_[idx(rivalry.defender)].quality, tiny);
    state.fought_this_quarter = true;
    rng::Stream dice = stream(rng::Purpose::WarDynamics, r);
    // Alignments and summits stay put within the quarter: the mediators' standing is read once.
    gather_assessment_inputs(r, nullptr, false, scratch_inputs_);
    const AssessmentInputs& fight_inputs = scratch_inputs_;
    for (int day = 0; day < days_per_quarter; ++day) {
      const double x_before = war.x, y_before = war.y, control_before = state.control;
      const auto forces = rules::square_law(war.x, war.y, attrition * advantage, attrition, 1.0);
      war.x = forces.x;
      war.y = forces.y;
      ++war.days;
      const double p = rules::tullock(war.x, war.y * advantage, m);
      state.control = std::clamp(state.control - territory_rate * (2.0 * p - 1.0), 0.0, 1.0);
      state.battle_deaths +=
          deaths_per_unit * ((x_before - war.x) / quality_c + (y_before - war.y) / quality_d);
      if (state.control < control_before) state.displaced += displaced_per_unit * (control_before - state.control);
      if (war.y <= (1.0 - breakpoint) * war.y0) {  // the defence collapses: the area falls
        state.displaced += displaced_per_unit * state.control;
        state.control = 0.0;
      }
      if (war.y <= (1.0 - breakpoint) * war.y0 || war.x <= (1.0 - breakpoint) * war.x0 || state.control <= 0.0) {
        end_war(r, 2.0, scenario::no_actor);
        return;
      }
      // Ceasefire: brokered by a mediator whose counsel the winning side believes (Kydd),
      // or, short of that, in proportion to the winner's alignment with it (its leverage
      // over the winner); or exhaustion.
      double brokered = 0.0;
      ActorId broker = scenario::no_actor;
      double broker_rate = 0.0;
      if (s_.mechanisms.mediation) {
        const bool challenger_winning = p >= 0.5;
        const ActorId winner = challenger_winning ? rivalry.challenger : rivalry.defender;
        for (std::size_t k = 0; k < s_.mediations.size(); ++k) {
          const auto& mediation = s_.mediations[k];
          if (mediation.rivalry != static_cast<int>(r)) continue;
          const double leverage =
              credible_to(k, challenger_winning, p, r, fight_inputs) ? 1.0 : alignment(winner, mediation.mediator);
          const double rate =
              leverage * mediator_effort(k, fight_inputs) * param(mediation.ceasefire_rate) / 365.0;
          brokered += rate;
          if (rate > broker_rate) {
            broker_rate = rate;
            broker = mediation.mediator;
          }
        }
      }
      const double stop = 1.0 - std::exp(-(brokered + exhaustion));
      const double u = dice.next_unit();
      if (u < stop) {
        const bool mediated = u < stop * brokered / (brokered + exhaustion);
        end_war(r, mediated ? 1.0 : 3.0, mediated ? broker : scenario::no_actor);
        return;
      }
    }
  }

  /// how: 1 mediated, 2 military decision, 3 exhaustion, 4 scripted ceasefire.
  void end_war(std::size_t r, double how, ActorId broker) {
    const auto& rivalry = s_.rivalries[r];
    auto& state = rivalries_[r];
    auto& war = state.war;
    // Losses come off the stocks; the defender side shares them by strength.
    auto& challenger = actors_[idx(rivalry.challenger)];
    challenger.capability = std::max(0.0, challenger.capability - (war.x0 - war.x) / std::max(challenger.quality, tiny));
    const double side = defender_side(rivalry, nullptr);
    const double lost_share = war.y0 > tiny ? (war.y0 - war.y) / war.y0 : 0.0;
    if (side > tiny) {
      // The committed share of each stock bore the losses.
      const double kept = 1.0 - lost_share * param(s_.parameters.war.front_share);
      auto lose = [&](ActorId a) { actors_[idx(a)].capability *= kept; };
      lose(rivalry.defender);
      for (const ActorId partner : rivalry.defender_partners) lose(partner);
    }
    const double change = state.control - war.control_at_onset;
    const double flare_days = param(s_.parameters.war.flare_up_days);
    EventKind kind = EventKind::FullWar;
    if (war.days <= flare_days && std::abs(change) < 0.05) {
      kind = EventKind::FlareUp;
      ++state.flare_ups;
    } else if (war.against_enclave) {
      kind = EventKind::Offensive;
      ++state.offensives;
    } else {
      ++state.full_wars;
    }
    ++state.wars;
    event(kind, rivalry.challenger, rivalry.defender, war.days);
    event(EventKind::Ceasefire, broker, rivalry.defender, how);
    if (change != 0.0) event(EventKind::TerritoryChange, rivalry.defender, rivalry.challenger, change);
    if (broker != scenario::no_actor && s_.mechanisms.alignment) {
      // Brokering the ceasefire earns the mediator a year's support gain with both parties.
      const double credit = param(s_.parameters.alignment.support_gain);
      for (const ActorId party : {rivalry.challenger, rivalry.defender}) {
        double& a = align(party, broker);
        a += credit * (1.0 - a);
      }
    }
    war.active = false;
    if (state.control <= 0.0) {
      for (std::size_t m = 0; m < s_.missions.size(); ++m) {
        if (s_.missions[m].rivalry == static_cast<int>(r)) withdraw(m);
      }
    }
  }

  // ---- 11 peacekeeping mandates ------------------------------------------------------------------
  void step_missions() {
    for (std::size_t m = 0; m < s_.missions.size(); ++m) {
      auto& mission = missions_[m];
      if (!mission.deployed || t_ < mission.mandate_end) continue;
      const auto& spec = s_.missions[m];
      // Renewal is automatic once a settlement is in reach; otherwise it is a gamble.
      const bool settled = rivalries_[static_cast<std::size_t>(spec.rivalry)].concession > 0.0;
      bool renew = settled;
      if (!settled && recording_ != nullptr) {
        // The trunk takes the likelier branch; runs draw against their own probability.
        p_.read_for_outputs_only(true);
        renew = param(spec.renewal_probability) >= 0.5;
        p_.read_for_outputs_only(false);
        recording_->renewals.push_back({.quarter = t_, .mission = static_cast<std::uint32_t>(m), .trunk_branch = renew});
      } else if (!settled) {
        renew = stream(rng::Purpose::Peacekeeping, m).next_unit() < param(spec.renewal_probability);
      }
      if (renew) {
        mission.mandate_end = t_ + static_cast<int>(std::lround(param(spec.mandate)));
        event(EventKind::MandateRenewed, spec.patron, scenario::no_actor, 0);
      } else {
        withdraw(m);
      }
    }
  }

  // ---- 12 outputs --------------------------------------------------------------------------------
  /// The series note_assessment() fills: a run's own even on the shared history.
  void record_assessment(std::size_t r) {
    const auto& state = rivalries_[r];
    const auto series = assessed_series(layout_.rivalry[r]);
    const std::array<double, 6> values{state.hazard,  state.win_probability, state.commitment_gap,
                                       state.incidents, state.troops,        state.credible_mediation};
    for (std::size_t k = 0; k < series.size(); ++k) set_series(series[k], values[k]);
  }

  void record() {
    for (std::size_t a = 0; a < n_; ++a) {
      const auto& state = actors_[a];
      set_series(layout_.gdp[a], state.gdp);
      set_series(layout_.milex[a], state.milex);
      set_series(layout_.capability[a], state.capability);
      set_series(layout_.strength[a], state.strength());
      set_series(layout_.revenue[a], state.revenue);
      set_series(layout_.capacity[a], capacity(static_cast<ActorId>(a)));
      if (layout_.debt[a] != npos) {
        double debt = 0.0;
        for (std::size_t l = 0; l < s_.loans.size(); ++l) {
          if (s_.loans[l].borrower == static_cast<ActorId>(a)) debt += loans_[l].outstanding;
        }
        set_series(layout_.debt[a], debt);
      }
    }
    for (std::size_t pair = 0; pair < s_.arms.size(); ++pair) {
      set_series(layout_.deliveries[pair], pairs_[pair].delivered);
      const double imports = actors_[idx(s_.arms[pair].recipient)].imports;
      set_series(layout_.pair_share[pair], imports > 0.0 ? pairs_[pair].spending / imports : 0.0);
    }
    for (std::size_t r = 0; r < s_.rivalries.size(); ++r) {
      const auto& state = rivalries_[r];
      const auto& series = layout_.rivalry[r];
      record_assessment(r);
      set_series(series.at_war, state.fought_this_quarter ? 1.0 : 0.0);
      set_series(series.control, state.control);
      set_series(series.battle_deaths, state.battle_deaths);
      set_series(series.displaced, state.displaced);
      set_series(series.concession, state.concession);
    }
    for (std::size_t k = 0; k < layout_.alignment_pairs.size(); ++k) {
      const auto [client, power] = layout_.alignment_pairs[k];
      set_series(layout_.alignment[k], alignment(client, power));
    }
    for (std::size_t i = 0; i < s_.issues.size(); ++i) set_series(layout_.issue_forecast[i], issue_forecast_[i]);
  }

  void finish() {
    auto summary = [&](std::size_t index, double value) {
      if (index != npos) out_->summaries[index] = value;
    };
    for (std::size_t r = 0; r < s_.rivalries.size(); ++r) {
      const auto& state = rivalries_[r];
      const auto& index = layout_.rivalry_summary[r];
      summary(index.war_occurred, state.wars > 0 ? 1.0 : 0.0);
      summary(index.wars, state.wars);
      summary(index.flare_ups, state.flare_ups);
      summary(index.full_wars, state.full_wars);
      summary(index.offensives, state.offensives);
      summary(index.battle_deaths, state.battle_deaths);
      summary(index.displaced, state.displaced);
      summary(index.final_control, state.control);
    }
    for (std::size_t a = 0; a < n_; ++a) summary(layout_.revenue_total[a], actors_[a].revenue_total);
    for (std::size_t pair = 0; pair < s_.arms.size(); ++pair) summary(layout_.pair_revenue_total[pair], pairs_[pair].revenue_total);
  }

  const scenario::Scenario& s_;
  ParamValues p_;
  const Layout& layout_;
  rng::MasterSeed seed_;
  std::uint64_t run_;
  RunResult* out_;
  TrunkNotes* recording_ = nullptr;  // set while this run is the trunk of the shared history
  bool history_ended_ = false;
  std::size_t n_;
  int t_ = 0;
  std::vector<ActorState> actors_;
  std::vector<PairState> pairs_;
  std::vector<RivalryState> rivalries_;
  std::vector<LoanState> loans_;
  std::vector<MissionState> missions_;
  std::vector<double> alignment_;
  std::vector<char> membership_;
  std::vector<double> issue_forecast_;
  std::vector<double> loan_disbursement_ = std::vector<double>(s_.loans.size(), 0.0);
  std::vector<double> strategy_factors_ = std::vector<double>(s_.arms.size(), 1.0);
  std::uint64_t strategy_version_ = 0;
  std::vector<double> static_utility_;  // supplier_utility without the alignment term
  std::uint64_t static_utility_version_ = 0, static_utility_strategy_ = 0;
  struct NegotiationInputs {
    std::vector<double> capability, position, salience;
  } negotiation_inputs_;
  std::vector<negotiation::Bargaining> bargaining_;
  std::size_t next_event_ = 0;
  std::vector<double> scratch_utilities_, scratch_shares_, scratch_pair_shares_, scratch_path_;
  std::vector<std::size_t> scratch_suppliers_;
  AssessmentInputs scratch_inputs_;
  double discount_per_year_ = std::numeric_limits<double>::quiet_NaN(), discount_per_quarter_ = 1.0;
};

}  // namespace

// ---- Engine ---------------------------------------------------------------------------------------

Engine::Engine(const scenario::Scenario& scenario, const std::string& policy) : scenario_(scenario) {
  params_ = scenario.params;
  if (!policy.empty()) {
    const scenario::Policy* chosen = scenario.find_policy(policy);
    check_invariant(chosen != nullptr, "policy names are checked before an Engine is built");
    std::uint32_t key = 100000;
    for (const auto& change : chosen->changes) {
      // A policy's change holds from its date on, over any later baseline change.
      auto& segments = params_[change.param].segments;
      std::erase_if(segments, [&](const auto& segment) { return segment.from_quarter >= change.from_quarter && segment.from_quarter > 0; });
      if (change.from_quarter <= 0) segments.clear();
      segments.push_back({.from_quarter = std::max(0, change.from_quarter), .value = change.value, .draw_key = key++});
      std::stable_sort(segments.begin(), segments.end(),
                       [](const auto& x, const auto& y) { return x.from_quarter < y.from_quarter; });
    }
  }
  build_catalog();
  build_shared_history();
}

void Engine::build_catalog() {
  const auto& s = scenario_;
  Layout layout;
  layout.quarters = static_cast<std::size_t>(s.quarter_count);
  catalog_.quarter_labels = s.quarter_labels;
  for (const auto& actor : s.actors) catalog_.actors.push_back(actor.id);
  catalog_.event_kinds = event_kind_names();
  auto add = [&](std::string name, std::string unit) {
    catalog_.series.push_back({std::move(name), std::move(unit)});
    return catalog_.series.size() - 1;
  };
  auto add_summary = [&](std::string name, std::string unit) {
    catalog_.summaries.push_back({std::move(name), std::move(unit)});
    return catalog_.summaries.size() - 1;
  };
  const std::size_t n = s.actors.size();
  layout.gdp.assign(n, npos);
  layout.milex.assign(n, npos);
  layout.capability.assign(n, npos);
  layout.strength.assign(n, npos);
  layout.revenue.assign(n, npos);
  layout.capacity.assign(n, npos);
  layout.debt.assign(n, npos);
  layout.revenue_total.assign(n, npos);
  for (std::size_t a = 0; a < n; ++a) {
    const auto& actor = s.actors[a];
    if (actor.economy) {
      layout.gdp[a] = add("gdp." + actor.id, "USD bn/yr");
      layout.milex[a] = add("milex." + actor.id, "USD bn/yr");
    }
    layout.capability[a] = add("capability." + actor.id, "USD bn");
    layout.strength[a] = add("strength." + actor.id, "quality x USD bn");
    const bool supplier = std::any_of(s.arms.begin(), s.arms.end(),
                                      [&](const auto& pair) { return pair.supplier == static_cast<ActorId>(a); });
    if (supplier) {
      layout.revenue[a] = add("arms_revenue." + actor.id, "USD bn per quarter");
      layout.revenue_total[a] = add_summary("arms_revenue_total." + actor.id, "USD bn");
    }
    if (actor.power) layout.capacity[a] = add("capacity." + actor.id, "fraction");
    const bool borrower = std::any_of(s.loans.begin(), s.loans.end(),
                                      [&](const auto& loan) { return loan.borrower == static_cast<ActorId>(a); });
    if (borrower) layout.debt[a] = add("arms_debt." + actor.id, "USD bn");
  }
  for (const auto& pair : s.arms) {
    const std::string name = s.actors[static_cast<std::size_t>(pair.supplier)].id + "->" +
                             s.actors[static_cast<std::size_t>(pair.recipient)].id;
    layout.deliveries.push_back(add("deliveries." + name, "USD bn per quarter"));
    layout.pair_share.push_back(add("import_share." + name, "fraction"));
    layout.pair_revenue_total.push_back(add_summary("arms_revenue." + name, "USD bn"));
  }
  for (const auto& rivalry : s.rivalries) {
    const std::string& id = rivalry.id;
    layout.rivalry.push_back({add("war_hazard." + id, "probability per quarter"), add("at_war." + id, "0/1"),
                              add("defender_control." + id, "fraction"),
                              add("challenger_win_probability." + id, "probability"),
                              add("commitment_gap." + id, "share of stake"), add("incidents." + id, "count per quarter"),
                              add("battle_deaths." + id, "persons, cumulative"),
                              add("displaced." + id, "persons, cumulative"), add("peacekeepers." + id, "persons"),
                              add("credible_mediation." + id, "effort"),
                              add("negotiated_concession." + id, "share of stake")});
    layout.rivalry_summary.push_back(
        {add_summary("war_occurred." + id, "0/1"), add_summary("wars." + id, "count"),
         add_summary("flare_ups." + id, "count"), add_summary("full_wars." + id, "count"),
         add_summary("offensives." + id, "count"), add_summary("battle_deaths." + id, "persons"),
         add_summary("displaced." + id, "persons"), add_summary("final_defender_control." + id, "fraction")});
  }
  // Alignment is reported for every client-power pair the scenario connects.
  auto connect = [&](ActorId client, ActorId power) {
    const std::pair<ActorId, ActorId> key{client, power};
    if (client == power || std::find(layout.alignment_pairs.begin(), layout.alignment_pairs.end(), key) !=
                               layout.alignment_pairs.end()) {
      return;
    }
    layout.alignment_pairs.push_back(key);
    layout.alignment.push_back(add("alignment." + s.actors[static_cast<std::size_t>(client)].id + "->" +
                                       s.actors[static_cast<std::size_t>(power)].id,
                                   "0..1"));
  };
  for (const auto& entry : s.initial_alignments) connect(entry.client, entry.power);
  for (const auto& pair : s.arms) connect(pair.recipient, pair.supplier);
  for (const auto& alliance : s.alliances) {
    for (const ActorId m : alliance.initial_members) connect(m, alliance.guarantor);
  }
  for (const auto& mediation : s.mediations) {
    const auto& rivalry = s.rivalries[static_cast<std::size_t>(mediation.rivalry)];
    connect(rivalry.challenger, mediation.mediator);
    connect(rivalry.defender, mediation.mediator);
  }
  for (const auto& issue : s.issues) layout.issue_forecast.push_back(add("negotiation_forecast." + issue.id, "0..100"));
  layout.rent_share.resize(n);
  layout.price_index.resize(n);
  for (std::size_t a = 0; a < n; ++a) {
    if (!s.actors[a].economy) continue;
    for (int t = 0; t < s.quarter_count; ++t) {
      layout.rent_share[a].push_back(last_observed_at_or_before(s.actors[a].economy->oil_rents_share, t, 0.0));
      layout.price_index[a].push_back(last_observed_at_or_before(s.actors[a].economy->oil_price_index, t, 1.0));
    }
  }
  layout.incoming_pairs.resize(n);
  for (std::size_t pair = 0; pair < s.arms.size(); ++pair) {
    layout.incoming_pairs[static_cast<std::size_t>(s.arms[pair].recipient)].push_back(pair);
  }
  layout.series_total = catalog_.series.size();
  layout.summary_total = catalog_.summaries.size();
  layout_ = std::make_shared<const Layout>(std::move(layout));
}

void Engine::simulate_from_scratch(rng::MasterSeed seed, std::uint64_t run_index, RunResult& out) const {
  Run run(scenario_, params_, *layout_, seed, run_index, out);
  run.simulate();
}

namespace detail {

/// The trunk every run shares until its own draws part from it, with snapshots of its
/// state to start runs from.
struct SharedHistory {
  TrunkNotes notes;
  int end_quarter = 0;   // no run follows the trunk into this quarter
  int stride = 1;        // snapshots are taken at the start of every stride-th quarter
  struct Snapshot {
    int quarter;
    std::size_t events;  // the trunk's events before this quarter
    Run run;             // the trunk's state at the start of this quarter
  };
  std::vector<Snapshot> snapshots;
  RunResult trunk;       // the trunk's outputs; those before a run's start are the run's too
  std::vector<char> run_specific;  // per series: written by follow_trunk(), not taken from the trunk
};

}  // namespace detail

void Engine::build_shared_history() {
  const int quarters = scenario_.quarter_count;
  // At most 256 snapshots: a long horizon costs a few re-simulated quarters per run instead.
  constexpr int max_snapshots = 256;
  auto history = std::make_shared<detail::SharedHistory>();
  history->stride = std::max(1, (quarters + max_snapshots) / max_snapshots);
  Run trunk(scenario_, params_, *layout_, rng::MasterSeed{0}, 0, history->trunk);
  trunk.start_trunk(history->notes);
  if (trunk.params().sampled_read_into_state()) return;
  history->end_quarter = quarters;
  for (int quarter = 0; quarter <= quarters; ++quarter) {
    if (quarter % history->stride == 0) {
      history->snapshots.push_back({quarter, history->trunk.events.size(), trunk});
    }
    if (quarter == quarters) break;
    if (!trunk.advance_trunk(quarter)) {
      history->end_quarter = quarter;
      break;
    }
  }
  if (history->end_quarter == 0) return;
  history->run_specific.assign(layout_->series_total, 0);
  for (const auto& series : layout_->rivalry) {
    for (const std::size_t index : assessed_series(series)) {
      if (index != npos) history->run_specific[index] = 1;
    }
  }
  shared_history_ = std::move(history);
}

int Engine::shared_history_end() const noexcept { return shared_history_ ? shared_history_->end_quarter : 0; }

void Engine::simulate(rng::MasterSeed seed, std::uint64_t run_index, RunResult& out) const {
  if (!shared_history_) {
    simulate_from_scratch(seed, run_index, out);
    return;
  }
  const detail::SharedHistory& history = *shared_history_;
  const Layout& layout = *layout_;
  Run run(scenario_, params_, layout, seed, run_index, out);
  const ParamValues params = run.params();  // as they stand before the first quarter
  const int departure = run.follow_trunk(history.notes, history.end_quarter);
  const auto& snapshot = history.snapshots[static_cast<std::size_t>(departure / history.stride)];

  // Before the snapshot, the run's outputs are the trunk's, except those follow_trunk() wrote.
  const std::size_t quarters = layout.quarters;
  const auto shared = static_cast<std::ptrdiff_t>(snapshot.quarter);
  for (std::size_t series = 0; series < layout.series_total; ++series) {
    if (history.run_specific[series] != 0) continue;
    const auto from = history.trunk.series.begin() + static_cast<std::ptrdiff_t>(series * quarters);
    std::copy(from, from + shared, out.series.begin() + static_cast<std::ptrdiff_t>(series * quarters));
  }
  out.events.assign(history.trunk.events.begin(),
                    history.trunk.events.begin() + static_cast<std::ptrdiff_t>(snapshot.events));
  Run resumed(snapshot.run);
  resumed.become_run(seed, run_index, params, out);
  resumed.simulate_from(snapshot.quarter);
}

}  // namespace arbiter::engine
