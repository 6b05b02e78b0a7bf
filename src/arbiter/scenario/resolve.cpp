#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/scenario/checker.hpp"
#include "arbiter/scenario/consistency.hpp"
#include "arbiter/scenario/scenario.hpp"
#include "arbiter/scenario/series_csv.hpp"
#include "arbiter/scenario/values.hpp"

// Stage 3 of loading: turns a checked document into the immutable Scenario. Every Number
// field, given or defaulted, becomes a Param registered under its path, so events and
// policies can change any of them from a date on.
namespace arbiter::scenario {

bool QuarterlySeries::observed(int quarter) const {
  return quarter >= 0 && static_cast<std::size_t>(quarter) < values.size() &&
         !std::isnan(values[static_cast<std::size_t>(quarter)]);
}

double QuarterlySeries::at_or_nan(int quarter) const {
  return observed(quarter) ? values[static_cast<std::size_t>(quarter)] : std::nan("");
}

const Policy* Scenario::find_policy(const std::string& policy_name) const {
  for (const auto& policy : policies) {
    if (policy.name == policy_name) return &policy;
  }
  return nullptr;
}

ActorId Scenario::find_actor(const std::string& id) const {
  for (std::size_t a = 0; a < actors.size(); ++a) {
    if (actors[a].id == id) return static_cast<ActorId>(a);
  }
  return no_actor;
}

namespace {

using diagnostics::Diagnostic;

const FieldSpec& field_of(const SectionSpec& section, std::string_view key) {
  for (const auto& field : section.fields) {
    if (field.key == key) return field;
  }
  throw InternalError(fmt::format("section '{}' has no field '{}'", section.name, key));
}

const SectionSpec& subsection(const SectionSpec& section, std::string_view key) {
  const FieldSpec& field = field_of(section, key);
  check_invariant(field.section != nullptr, "sections and lists name their spec");
  return *field.section;
}

class Resolver {
 public:
  Resolver(const YamlNode& root, std::string dir, Scenario& scenario) : root_(root), dir_(std::move(dir)), s_(scenario) {}

  std::vector<Diagnostic> run() {
    const SectionSpec& spec = scenario_root_spec();
    s_.name = text(root_, "name");
    s_.description = optional_text(root_, "description");
    if (const YamlNode* seed = root_.find("seed")) {
      s_.seed = static_cast<std::uint64_t>(read_integer(*seed, field_of(spec, "seed")));
    }
    resolve_time();
    resolve_actors();
    resolve_rivalries();
    resolve_arms();
    resolve_loans();
    resolve_alliances();
    resolve_mediation();
    resolve_missions();
    resolve_backing();
    resolve_alignment();
    resolve_issues();
    resolve_parameters();
    resolve_mechanisms();
    resolve_events();
    resolve_policies();
    return std::move(problems_);
  }

 private:
  // ---- readers ------------------------------------------------------------------------------
  static std::string optional_text(const YamlNode& map, std::string_view key) {
    const YamlNode* node = map.find(key);
    return node != nullptr && node->is_scalar() ? read_text(*node) : std::string{};
  }
  static std::string text(const YamlNode& map, std::string_view key) { return optional_text(map, key); }

  static const YamlNode& empty_map() {
    static const YamlNode empty = [] {
      YamlNode node;
      node.kind = YamlNode::Kind::Map;
      return node;
    }();
    return empty;
  }
  static const YamlNode& section_node(const YamlNode& map, std::string_view key) {
    const YamlNode* node = map.find(key);
    return node != nullptr && node->is_map() ? *node : empty_map();
  }
  static const std::vector<YamlNode>& list(const YamlNode& map, std::string_view key) {
    static const std::vector<YamlNode> none;
    const YamlNode* node = map.find(key);
    return node != nullptr && node->is_sequence() ? node->items : none;
  }

  /// Registers the Number `key` of `map` (or its default) as a parameter at `prefix.key`.
  ParamId number(const YamlNode& map, const SectionSpec& section, std::string_view key, const std::string& prefix) {
    const FieldSpec& field = field_of(section, key);
    Param param;
    param.path = prefix + "." + std::string(key);
    Distribution value;
    if (const YamlNode* node = map.find(key)) {
      const Quantity quantity = read_quantity(*node, field);
      value = quantity.distribution;
      param.source = quantity.is_free ? "free: " + quantity.reason : quantity.source;
      param.is_free = quantity.is_free;
      param.free_low = quantity.free_low;
      param.free_high = quantity.free_high;
    } else {
      const auto parsed = parse_number(field.default_text);
      check_invariant(parsed.has_value(), fmt::format("default of {} is a number", param.path));
      value.kind = Distribution::Kind::Fixed;
      value.a = *parsed;
      param.source = "default";
    }
    param.segments.push_back({.from_quarter = 0, .value = value, .draw_key = 0});
    const auto id = static_cast<ParamId>(s_.params.size());
    s_.param_by_path.emplace(param.path, id);
    s_.params.push_back(std::move(param));
    return id;
  }

  ActorId actor_ref(const YamlNode& map, std::string_view key) {
    const YamlNode* node = map.find(key);
    return node == nullptr ? no_actor : s_.find_actor(read_text(*node));
  }

  std::vector<ActorId> actor_list(const YamlNode& map, std::string_view key) {
    std::vector<ActorId> ids;
    if (const YamlNode* node = map.find(key); node != nullptr && node->is_sequence()) {
      for (const auto& item : node->items) ids.push_back(s_.find_actor(read_text(item)));
    }
    return ids;
  }

  template <typename Items>
  int named_ref(const YamlNode& map, std::string_view key, const Items& items, std::string_view what) {
    const YamlNode* node = map.find(key);
    if (node == nullptr) return -1;
    const std::string id = read_text(*node);
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (items[k].id == id) return static_cast<int>(k);
    }
    check_invariant(false, fmt::format("{} references are checked by check_consistency", what));
    return -1;
  }

  /// Lays a series out per quarter: annual values fill their year's four quarters.
  QuarterlySeries series(const YamlNode& map, const SectionSpec& section, std::string_view key) {
    const FieldSpec& field = field_of(section, key);
    QuarterlySeries out;
    out.values.assign(static_cast<std::size_t>(s_.quarter_count), std::nan(""));
    const YamlNode* node = map.find(key);
    if (node == nullptr) {
      if (const auto constant = parse_number(field.default_text)) std::fill(out.values.begin(), out.values.end(), *constant);
      return out;
    }
    const Series read = read_series(*node, field, dir_, files_, problems_);
    if (read.constant) {
      std::fill(out.values.begin(), out.values.end(), *read.constant);
      return out;
    }
    bool before_or_inside = false;
    for (const auto& point : read.points) {
      const int first = point.quarter_index - start_index_;
      const int count = point.annual ? 4 : 1;
      if (first < s_.quarter_count) before_or_inside = true;
      for (int q = std::max(first, 0); q < std::min(first + count, s_.quarter_count); ++q) {
        out.values[static_cast<std::size_t>(q)] = point.value;
      }
    }
    if (!before_or_inside && !read.points.empty()) {
      problems_.push_back(error_at(node->where, "scenario.coverage",
                                   fmt::format("series '{}' starts after the simulated period ends", key),
                                   fmt::format("at least one value at or before {}", s_.quarter_labels.back())));
    }
    return out;
  }

  // ---- sections ------------------------------------------------------------------------------
  void resolve_time() {
    const YamlNode& time = section_node(root_, "time");
    const QuarterDate start = read_quarter(*time.find("start"));
    const QuarterDate end = read_quarter(*time.find("end"));
    start_index_ = quarter_index(start);
    s_.start_year = start.year;
    s_.start_quarter_of_year = start.quarter;
    s_.quarter_count = quarter_index(end) - start_index_ + 1;
    check_invariant(s_.quarter_count >= 1 && s_.quarter_count <= max_scenario_quarters,
                    "the period's length is checked by check_consistency");
    for (int q = 0; q < s_.quarter_count; ++q) {
      const QuarterDate date = quarter_from_index(start_index_ + q);
      s_.quarter_labels.push_back(fmt::format("{}Q{}", date.year, date.quarter));
    }
  }

  void resolve_actors() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "actors");
    for (const auto& node : list(root_, "actors")) {
      Actor actor;
      actor.id = text(node, "id");
      actor.name = optional_text(node, "name");
      if (actor.name.empty()) actor.name = actor.id;
      const std::string kind = optional_text(node, "kind");
      actor.kind = kind == "de_facto_state" ? ActorKind::DeFactoState
                   : kind == "organisation" ? ActorKind::Organisation
                                            : ActorKind::State;
      s_.actors.push_back(std::move(actor));
    }
    // Parameters after all ids exist, so paths and references resolve in any order.
    const auto& nodes = list(root_, "actors");
    for (std::size_t a = 0; a < nodes.size(); ++a) {
      const YamlNode& node = nodes[a];
      Actor& actor = s_.actors[a];
      const std::string prefix = "actors." + actor.id;
      if (const YamlNode* economy_node = node.find("economy"); economy_node != nullptr && economy_node->is_map()) {
        const SectionSpec& e = subsection(spec, "economy");
        const std::string p = prefix + ".economy";
        Economy economy{};
        economy.gdp = series(*economy_node, e, "gdp");
        economy.oil_rents_share = series(*economy_node, e, "oil_rents_share");
        economy.oil_price_index = series(*economy_node, e, "oil_price_index");
        economy.milex = series(*economy_node, e, "milex");
        economy.gdp_growth = number(*economy_node, e, "gdp_growth", p);
        economy.gdp_growth_sd = number(*economy_node, e, "gdp_growth_sd", p);
        economy.milex_share_gdp = number(*economy_node, e, "milex_share_gdp", p);
        economy.rent_to_defence = number(*economy_node, e, "rent_to_defence", p);
        economy.milex_ceiling_share_gdp = number(*economy_node, e, "milex_ceiling_share_gdp", p);
        economy.milex_floor_share_gdp = number(*economy_node, e, "milex_floor_share_gdp", p);
        actor.economy = std::move(economy);
      }
      const YamlNode& military = section_node(node, "military");
      const SectionSpec& m = subsection(spec, "military");
      const std::string mp = prefix + ".military";
      actor.military = {.capability = number(military, m, "capability", mp),
                        .depreciation = number(military, m, "depreciation", mp),
                        .quality = number(military, m, "quality", mp),
                        .procurement_share = number(military, m, "procurement_share", mp),
                        .import_share = number(military, m, "import_share", mp),
                        .price_sensitivity = number(military, m, "price_sensitivity", mp),
                        .alignment_weight = number(military, m, "alignment_weight", mp),
                        .diversification = number(military, m, "diversification", mp)};
      if (const YamlNode* power_node = node.find("outside_power"); power_node != nullptr && power_node->is_map()) {
        const SectionSpec& o = subsection(spec, "outside_power");
        const std::string op = prefix + ".outside_power";
        OutsidePower power{.capacity = number(*power_node, o, "capacity", op),
                           .will = number(*power_node, o, "will", op),
                           .backer_aversion = number(*power_node, o, "backer_aversion", op),
                           .revenue_weight = number(*power_node, o, "revenue_weight", op),
                           .goodwill_weight = number(*power_node, o, "goodwill_weight", op),
                           .war_cost = number(*power_node, o, "war_cost", op)};
        power.strategy = optional_text(*power_node, "strategy") == "optimise" ? Strategy::Optimise : Strategy::Scripted;
        actor.power = power;
      }
    }
  }

  void resolve_rivalries() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "rivalries");
    for (const auto& node : list(root_, "rivalries")) {
      Rivalry r;
      r.id = text(node, "id");
      r.challenger = actor_ref(node, "challenger");
      r.defender = actor_ref(node, "defender");
      r.defender_partners = actor_list(node, "defender_partners");
      r.disputed_area = optional_text(node, "disputed_area");
      const std::string p = "rivalries." + r.id;
      r.initial_control = number(node, spec, "initial_control", p);
      r.area_population = number(node, spec, "area_population", p);
      r.stake_value = number(node, spec, "stake_value", p);
      r.reaction = number(node, spec, "reaction", p);
      r.fatigue = number(node, spec, "fatigue", p);
      r.grievance = number(node, spec, "grievance", p);
      r.war_cost_challenger = number(node, spec, "war_cost_challenger", p);
      r.war_cost_defender = number(node, spec, "war_cost_defender", p);
      r.resolve_uncertainty = number(node, spec, "resolve_uncertainty", p);
      r.crisis_rate = number(node, spec, "crisis_rate", p);
      r.incident_rate = number(node, spec, "incident_rate", p);
      r.blockade = number(node, spec, "blockade", p);
      s_.rivalries.push_back(std::move(r));
    }
  }

  void resolve_arms() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "arms_trade");
    for (const auto& node : list(root_, "arms_trade")) {
      ArmsRelation a;
      a.supplier = actor_ref(node, "supplier");
      a.recipient = actor_ref(node, "recipient");
      const std::string p = "arms_trade." + element_key(node, spec);
      a.price = number(node, spec, "price", p);
      a.willingness = number(node, spec, "willingness", p);
      a.embargo = number(node, spec, "embargo", p);
      a.delivery_lag = number(node, spec, "delivery_lag", p);
      a.quality = number(node, spec, "quality", p);
      a.preference = number(node, spec, "preference", p);
      s_.arms.push_back(a);
    }
  }

  void resolve_loans() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "loans");
    for (const auto& node : list(root_, "loans")) {
      Loan l;
      l.id = text(node, "id");
      l.lender = actor_ref(node, "lender");
      l.borrower = actor_ref(node, "borrower");
      const std::string p = "loans." + l.id;
      l.principal = number(node, spec, "principal", p);
      l.disbursement_quarters = number(node, spec, "disbursement_quarters", p);
      l.rate = number(node, spec, "rate", p);
      l.grace = number(node, spec, "grace", p);
      l.term = number(node, spec, "term", p);
      l.forgiven = number(node, spec, "forgiven", p);
      l.rescheduled_delay = number(node, spec, "rescheduled_delay", p);
      l.start_quarter = quarter_index(read_quarter(*node.find("start"))) - start_index_;
      if (const YamlNode* bound = node.find("purpose_bound")) l.purpose_bound = read_boolean(*bound);
      s_.loans.push_back(std::move(l));
    }
  }

  void resolve_alliances() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "alliances");
    for (const auto& node : list(root_, "alliances")) {
      Alliance a;
      a.id = text(node, "id");
      a.guarantor = actor_ref(node, "guarantor");
      a.initial_members = actor_list(node, "members");
      a.scope = optional_text(node, "scope") == "members_territory_and_disputed_areas"
                    ? AllianceScope::MembersTerritoryAndDisputedAreas
                    : AllianceScope::MembersTerritory;
      const std::string p = "alliances." + a.id;
      a.reliability = number(node, spec, "reliability", p);
      a.discretionary_reliability = number(node, spec, "discretionary_reliability", p);
      a.ally_weight = number(node, spec, "ally_weight", p);
      s_.alliances.push_back(std::move(a));
    }
  }

  void resolve_mediation() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "mediation");
    for (const auto& node : list(root_, "mediation")) {
      Mediation m;
      m.id = text(node, "id");
      m.mediator = actor_ref(node, "mediator");
      m.rivalry = named_ref(node, "rivalry", s_.rivalries, "rivalry");
      const std::string p = "mediation." + m.id;
      m.bias_to_challenger = number(node, spec, "bias_to_challenger", p);
      m.accuracy = number(node, spec, "accuracy", p);
      m.war_aversion = number(node, spec, "war_aversion", p);
      m.effort = number(node, spec, "effort", p);
      m.ceasefire_rate = number(node, spec, "ceasefire_rate", p);
      m.alignment_bias = number(node, spec, "alignment_bias", p);
      s_.mediations.push_back(std::move(m));
    }
  }

  void resolve_missions() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "peacekeeping");
    for (const auto& node : list(root_, "peacekeeping")) {
      Peacekeeping m;
      m.id = text(node, "id");
      m.patron = actor_ref(node, "patron");
      m.rivalry = named_ref(node, "rivalry", s_.rivalries, "rivalry");
      const std::string p = "peacekeeping." + m.id;
      m.size = number(node, spec, "size", p);
      m.deployed = number(node, spec, "deployed", p);
      m.hazard_ratio = number(node, spec, "hazard_ratio", p);
      m.mandate = number(node, spec, "mandate", p);
      m.renewal_probability = number(node, spec, "renewal_probability", p);
      s_.missions.push_back(std::move(m));
    }
  }

  void resolve_backing() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "backing");
    for (const auto& node : list(root_, "backing")) {
      Backing b;
      b.backer = actor_ref(node, "backer");
      b.client = actor_ref(node, "client");
      const std::string p = "backing." + element_key(node, spec);
      b.materiel = number(node, spec, "materiel", p);
      b.advisers = number(node, spec, "advisers", p);
      b.political = number(node, spec, "political", p);
      b.wartime_surge = number(node, spec, "wartime_surge", p);
      s_.backings.push_back(b);
    }
  }

  void resolve_alignment() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "initial_alignment");
    for (const auto& node : list(root_, "initial_alignment")) {
      InitialAlignment a;
      a.client = actor_ref(node, "client");
      a.power = actor_ref(node, "power");
      a.value = number(node, spec, "value", "initial_alignment." + element_key(node, spec));
      s_.initial_alignments.push_back(a);
    }
  }

  void resolve_issues() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "negotiations");
    const SectionSpec& stake_spec = subsection(spec, "actors");
    for (const auto& node : list(root_, "negotiations")) {
      NegotiationIssue issue;
      issue.id = text(node, "id");
      issue.rivalry = named_ref(node, "rivalry", s_.rivalries, "rivalry");
      const std::string p = "negotiations." + issue.id;
      issue.challenger_goal = number(node, spec, "challenger_goal", p);
      issue.settlement_effect = number(node, spec, "settlement_effect", p);
      if (const YamlNode* rounds = node.find("rounds")) {
        issue.rounds = static_cast<int>(read_integer(*rounds, field_of(spec, "rounds")));
      }
      for (const auto& stake_node : list(node, "actors")) {
        NegotiationIssue::Stake stake;
        stake.actor = actor_ref(stake_node, "actor");
        const std::string sp = p + ".actors." + element_key(stake_node, stake_spec);
        stake.position = number(stake_node, stake_spec, "position", sp);
        stake.salience = number(stake_node, stake_spec, "salience", sp);
        stake.leverage = number(stake_node, stake_spec, "leverage", sp);
        issue.stakes.push_back(stake);
      }
      s_.issues.push_back(std::move(issue));
    }
  }

  void resolve_parameters() {
    const SectionSpec& spec = subsection(scenario_root_spec(), "parameters");
    const YamlNode& node = section_node(root_, "parameters");
    const YamlNode& onset = section_node(node, "war_onset");
    const SectionSpec& o = subsection(spec, "war_onset");
    auto& w = s_.parameters.war_onset;
    const std::string op = "parameters.war_onset";
    w.decisiveness = number(onset, o, "decisiveness", op);
    w.defence_advantage = number(onset, o, "defence_advantage", op);
    w.discount = number(onset, o, "discount", op);
    w.horizon = number(onset, o, "horizon", op);
    w.commitment_hazard_max = number(onset, o, "commitment_hazard_max", op);
    w.commitment_gap_scale = number(onset, o, "commitment_gap_scale", op);
    w.escalation_scale = number(onset, o, "escalation_scale", op);
    const YamlNode& war_node = section_node(node, "war");
    const SectionSpec& ws = subsection(spec, "war");
    auto& war = s_.parameters.war;
    const std::string wp = "parameters.war";
    war.front_share = number(war_node, ws, "front_share", wp);
    war.attrition = number(war_node, ws, "attrition", wp);
    war.breakpoint = number(war_node, ws, "breakpoint", wp);
    war.territory_rate = number(war_node, ws, "territory_rate", wp);
    war.exhaustion = number(war_node, ws, "exhaustion", wp);
    war.deaths_per_capability = number(war_node, ws, "deaths_per_capability", wp);
    war.displaced_share = number(war_node, ws, "displaced_share", wp);
    war.flare_up_days = number(war_node, ws, "flare_up_days", wp);
    const YamlNode& align_node = section_node(node, "alignment");
    const SectionSpec& as = subsection(spec, "alignment");
    auto& al = s_.parameters.alignment;
    const std::string ap = "parameters.alignment";
    al.support_gain = number(align_node, as, "support_gain", ap);
    al.abandonment_loss = number(align_node, as, "abandonment_loss", ap);
    al.hostile_sales_loss = number(align_node, as, "hostile_sales_loss", ap);
    al.exit_threshold = number(align_node, as, "exit_threshold", ap);
    al.out_of_scope_expectation = number(align_node, as, "out_of_scope_expectation", ap);
  }

  void resolve_mechanisms() {
    const YamlNode& node = section_node(root_, "mechanisms");
    auto flag = [&](std::string_view key, bool& value) {
      if (const YamlNode* n = node.find(key)) value = read_boolean(*n);
    };
    auto& m = s_.mechanisms;
    flag("economy", m.economy);
    flag("arms_market", m.arms_market);
    flag("credit", m.credit);
    flag("quality", m.quality);
    flag("war_onset", m.war_onset);
    flag("war_dynamics", m.war_dynamics);
    flag("alliances", m.alliances);
    flag("mediation", m.mediation);
    flag("peacekeeping", m.peacekeeping);
    flag("backers", m.backers);
    flag("alignment", m.alignment);
    flag("capacity_shocks", m.capacity_shocks);
    flag("patron_strategy", m.patron_strategy);
    flag("negotiation", m.negotiation);
  }

  /// The changes of a `set:` mapping, each resolved to its parameter and new value.
  std::vector<ParamChange> changes(const YamlNode& set, int from_quarter) {
    std::vector<ParamChange> out;
    for (const auto& [key, value] : set.entries) {
      const auto found = s_.param_by_path.find(key.text);
      std::vector<Diagnostic> path_problems;
      const PathTarget target = resolve_parameter_path(root_, scenario_root_spec(), key.text, key.where, path_problems);
      if (found == s_.param_by_path.end() || target.field == nullptr) {
        problems_.insert(problems_.end(), path_problems.begin(), path_problems.end());
        if (path_problems.empty()) {
          problems_.push_back(error_at(key.where, "scenario.unknown-parameter",
                                       fmt::format("no parameter '{}'", key.text), "a path such as "
                                       "arms_trade.russia->armenia.price"));
        }
        continue;
      }
      out.push_back({.from_quarter = from_quarter, .param = found->second,
                     .value = read_quantity(value, *target.field).distribution});
    }
    return out;
  }

  void resolve_events() {
    struct Pending {
      Event event;
      std::size_t order;
    };
    std::vector<Pending> pending;
    std::uint32_t next_key = 1;
    const auto& nodes = list(root_, "events");
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      const YamlNode& node = nodes[k];
      const int quarter = quarter_index(read_quarter(*node.find("date"))) - start_index_;
      const std::string type = text(node, "type");
      if (type == "set") {
        for (auto& change : changes(*node.find("set"), quarter)) {
          auto& segments = s_.params[change.param].segments;
          if (change.from_quarter <= 0) {  // happened before the start: holds from the start
            segments.front().value = change.value;
            segments.front().draw_key = next_key++;
          } else {
            segments.push_back({.from_quarter = change.from_quarter, .value = change.value, .draw_key = next_key++});
          }
        }
        continue;
      }
      Event e;
      e.quarter = std::max(quarter, 0);
      e.source = text(node, "source");
      e.actor = actor_ref(node, "actor");
      // check_consistency has made sure each type has the keys it needs and they resolve.
      if (type == "join_alliance" || type == "leave_alliance") {
        e.type = type == "join_alliance" ? Event::Type::JoinAlliance : Event::Type::LeaveAlliance;
        e.alliance = named_ref(node, "alliance", s_.alliances, "alliance");
      } else if (type == "ceasefire" || type == "summit") {
        e.type = type == "ceasefire" ? Event::Type::Ceasefire : Event::Type::Summit;
        e.rivalry = named_ref(node, "rivalry", s_.rivalries, "rivalry");
      } else {
        e.type = type == "deploy_peacekeepers" ? Event::Type::DeployPeacekeepers : Event::Type::WithdrawPeacekeepers;
        e.mission = named_ref(node, "mission", s_.missions, "mission");
      }
      if (quarter < s_.quarter_count) pending.push_back({e, k});
    }
    for (auto& param : s_.params) {
      std::stable_sort(param.segments.begin(), param.segments.end(),
                       [](const auto& a, const auto& b) { return a.from_quarter < b.from_quarter; });
    }
    std::stable_sort(pending.begin(), pending.end(),
                     [](const Pending& a, const Pending& b) { return a.event.quarter < b.event.quarter; });
    for (auto& p : pending) s_.events.push_back(std::move(p.event));
  }

  void resolve_policies() {
    for (const auto& node : list(root_, "policies")) {
      Policy policy;
      policy.name = text(node, "name");
      policy.description = optional_text(node, "description");
      for (const auto& change : list(node, "changes")) {
        const int quarter = quarter_index(read_quarter(*change.find("from"))) - start_index_;
        if (const YamlNode* set = change.find("set")) {
          for (auto& c : changes(*set, quarter)) policy.changes.push_back(std::move(c));
        }
      }
      s_.policies.push_back(std::move(policy));
    }
  }

  const YamlNode& root_;
  std::string dir_;
  Scenario& s_;
  int start_index_ = 0;
  SeriesFiles files_;
  std::vector<Diagnostic> problems_;
};

std::string directory_of(const std::string& file_name) {
  const std::filesystem::path parent = std::filesystem::path(file_name).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

LoadResult check_scenario(const std::string& text, const std::string& file_name) {
  LoadResult result;
  ParsedDocument parsed = parse_yaml(text, file_name);
  if (!parsed.root) {
    result.diagnostics = std::move(parsed.diagnostics);
    return result;
  }
  const std::string dir = directory_of(file_name);
  result.diagnostics = check_document(*parsed.root, scenario_root_spec(), file_name, dir);
  check_consistency(*parsed.root, result.diagnostics);
  if (diagnostics::has_errors(result.diagnostics)) return result;
  Scenario scenario;
  scenario.file = file_name;
  scenario.text = text;
  auto problems = Resolver(*parsed.root, dir, scenario).run();
  result.diagnostics.insert(result.diagnostics.end(), problems.begin(), problems.end());
  if (!diagnostics::has_errors(result.diagnostics)) result.scenario = std::move(scenario);
  return result;
}

Scenario load_scenario(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw InputError({error_at({path, 0, 0}, "scenario.file",
                               std::filesystem::exists(path, error) ? "not a regular file" : "no such file",
                               "the path of a scenario YAML file")});
  }
  const auto size = std::filesystem::file_size(path, error);
  if (!error && size > max_scenario_bytes) {
    throw InputError({error_at({path, 0, 0}, "scenario.size", fmt::format("file is {} bytes", size),
                               fmt::format("at most {} bytes", max_scenario_bytes))});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({error_at({path, 0, 0}, "scenario.file", "cannot be read", "a readable file")});
  std::ostringstream buffer;
  buffer << in.rdbuf();
  LoadResult result = check_scenario(buffer.str(), path);
  if (!result.scenario) throw InputError(std::move(result.diagnostics));
  return std::move(*result.scenario);
}

}  // namespace arbiter::scenario
