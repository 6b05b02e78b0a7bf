// Each of the 14 mechanism switches, on the synthetic example: with the switch off the
// scenario still loads and runs, the mechanism's own outputs stay neutral, and the random
// draws of the other mechanisms are unchanged (streams are keyed by purpose, so GDP paths,
// which come from the Economy stream, are identical with and without the switch).
#include <algorithm>
#include <set>

#include "model_support.hpp"

namespace arbiter::model_test {
namespace {

constexpr std::size_t switch_runs = 24;

const std::string& base_text() {
  static const std::string text = read_text_file(example_file);
  return text;
}

scenario::Scenario with_switch_off(const std::string& text, const std::string& mechanism) {
  return load(text + "\nmechanisms: {" + mechanism + ": false}\n", example_file);
}

const Ensemble& base_runs() {
  static const Ensemble runs = run_ensemble(load(base_text(), example_file), switch_runs);
  return runs;
}

/// Every series named in both ensembles is identical in every run, except those starting
/// with one of `skip`.
void expect_common_series_identical(const Ensemble& a, const Ensemble& b, const std::vector<std::string>& skip = {}) {
  ASSERT_EQ(a.runs.size(), b.runs.size());
  std::size_t compared = 0;
  for (const auto& s : a.catalog.series) {
    if (!b.has_series(s.name)) continue;
    if (std::any_of(skip.begin(), skip.end(), [&](const auto& p) { return s.name.rfind(p, 0) == 0; })) continue;
    ++compared;
    for (std::size_t r = 0; r < a.runs.size(); ++r) {
      ASSERT_EQ(a.series(r, s.name), b.series(r, s.name)) << s.name << " differs in run " << r;
    }
  }
  EXPECT_GT(compared, 10u);
}

/// The GDP paths come only from the Economy stream; a switch other than `economy` must
/// leave them bit for bit as they were. The example's challenger has a GDP series that ends
/// in 2010, so its later path is random and the comparison can fail.
void expect_economy_draws_unchanged(const Ensemble& off) {
  const auto& base = base_runs();
  const auto names = base.series_named("gdp.");
  ASSERT_FALSE(names.empty());
  for (const auto& name : names) {
    for (std::size_t r = 0; r < base.runs.size(); ++r) {
      ASSERT_EQ(base.series(r, name), off.series(r, name)) << name << " run " << r;
    }
  }
  // The witness is random: two runs differ.
  EXPECT_NE(base.series(0, "gdp.south"), base.series(1, "gdp.south"));
}

void expect_all_zero(const Ensemble& e, const std::string& prefix) {
  const auto names = e.series_named(prefix);
  ASSERT_FALSE(names.empty()) << prefix;
  for (const auto& name : names) {
    for (std::size_t r = 0; r < e.runs.size(); ++r) {
      for (const double v : e.series(r, name)) ASSERT_EQ(v, 0.0) << name << " run " << r;
    }
  }
}

bool any_nonzero(const Ensemble& e, const std::string& prefix) {
  for (const auto& name : e.series_named(prefix)) {
    for (std::size_t r = 0; r < e.runs.size(); ++r) {
      for (const double v : e.series(r, name)) {
        if (v != 0.0) return true;
      }
    }
  }
  return false;
}

void expect_constant(const Ensemble& e, const std::string& prefix) {
  const auto names = e.series_named(prefix);
  ASSERT_FALSE(names.empty()) << prefix;
  for (const auto& name : names) {
    for (std::size_t r = 0; r < e.runs.size(); ++r) {
      const auto values = e.series(r, name);
      for (const double v : values) ASSERT_EQ(v, values.front()) << name << " run " << r;
    }
  }
}

bool any_varies(const Ensemble& e, const std::string& prefix) {
  for (const auto& name : e.series_named(prefix)) {
    for (std::size_t r = 0; r < e.runs.size(); ++r) {
      const auto values = e.series(r, name);
      for (const double v : values) {
        if (v != values.front()) return true;
      }
    }
  }
  return false;
}

/// The example without one of its top-level blocks (from `start` up to the next block).
std::string without_block(const std::string& text, const std::string& start) {
  const auto from = text.find("\n" + start + ":\n");
  EXPECT_NE(from, std::string::npos) << start;
  if (from == std::string::npos) return text;
  auto to = text.find("\n\n", from + 1);
  if (to == std::string::npos) to = text.size();
  return text.substr(0, from) + text.substr(to);
}

TEST(MechanismSwitches, EconomyOffFreezesGdpAndBudgetsButKeepsOtherDraws) {
  // The backer's capacity is drawn per run (ScenarioSampling) and reported as is: a witness
  // of draws that the economy cannot touch.
  const std::string text = replace_once(base_text(), "outside_power: {capacity: 1, will: 0.5}",
                                        "outside_power: {capacity: {dist: uniform, low: 0.5, high: 1}, will: 0.5}");
  const auto on = run_ensemble(load(text, example_file), switch_runs);
  const auto off = run_ensemble(with_switch_off(text, "economy"), switch_runs);
  expect_constant(off, "gdp.");
  expect_constant(off, "milex.");
  EXPECT_TRUE(any_varies(on, "gdp."));
  EXPECT_TRUE(any_varies(on, "milex."));
  for (std::size_t r = 0; r < switch_runs; ++r) {
    ASSERT_EQ(on.series(r, "capacity.backer"), off.series(r, "capacity.backer")) << r;
  }
  EXPECT_NE(on.at(0, "capacity.backer", 0), on.at(1, "capacity.backer", 0));
}

TEST(MechanismSwitches, ArmsMarketOffMeansNoSalesNoDeliveries) {
  const auto off = run_ensemble(with_switch_off(base_text(), "arms_market"), switch_runs);
  expect_all_zero(off, "arms_revenue.");
  expect_all_zero(off, "deliveries.");
  expect_all_zero(off, "import_share.");
  for (std::size_t r = 0; r < switch_runs; ++r) {
    for (const auto& s : off.catalog.summaries) {
      if (s.name.rfind("arms_revenue", 0) == 0) {
        ASSERT_EQ(off.summary(r, s.name), 0.0) << s.name;
      }
    }
  }
  EXPECT_TRUE(any_nonzero(base_runs(), "arms_revenue."));
  EXPECT_TRUE(any_nonzero(base_runs(), "deliveries."));
  expect_economy_draws_unchanged(off);
}

TEST(MechanismSwitches, CreditOffMeansNoDebtNoDisbursement) {
  const auto off = run_ensemble(with_switch_off(base_text(), "credit"), switch_runs);
  expect_all_zero(off, "arms_debt.");
  EXPECT_EQ(off.count_events("loan_disbursed"), 0u);
  EXPECT_TRUE(any_nonzero(base_runs(), "arms_debt."));
  EXPECT_GT(base_runs().count_events("loan_disbursed"), 0u);
  expect_economy_draws_unchanged(off);
  // Credit off is the same world as one without the loan.
  const auto no_loans = run_ensemble(load(without_block(base_text(), "loans"), example_file), switch_runs);
  expect_common_series_identical(off, no_loans);
}

TEST(MechanismSwitches, CreditOffAlsoIgnoresLoansSignedBeforeTheStart) {
  const std::string text = replace_once(base_text(), "start: 2010Q1", "start: 1999Q1");
  const auto off = run_ensemble(with_switch_off(text, "credit"), 4);
  expect_all_zero(off, "arms_debt.");
  const auto on = run_ensemble(load(text, example_file), 4);
  EXPECT_GT(on.at(0, "arms_debt.north", 0), 0.0);  // drawn before the start: owed from day one
}

TEST(MechanismSwitches, QualityOffMakesStrengthEqualCapability) {
  const auto off = run_ensemble(with_switch_off(base_text(), "quality"), switch_runs);
  for (const auto& actor : off.catalog.actors) {
    for (std::size_t r = 0; r < switch_runs; ++r) {
      ASSERT_EQ(off.series(r, "strength." + actor), off.series(r, "capability." + actor)) << actor;
    }
  }
  EXPECT_NE(base_runs().at(0, "strength.north", 0), base_runs().at(0, "capability.north", 0));
  expect_economy_draws_unchanged(off);
}

TEST(MechanismSwitches, WarOnsetOffMeansNoHazardAndNoWar) {
  const auto off = run_ensemble(with_switch_off(base_text(), "war_onset"), switch_runs);
  expect_all_zero(off, "war_hazard.");
  expect_all_zero(off, "at_war.");
  expect_all_zero(off, "battle_deaths.");
  expect_constant(off, "defender_control.");
  EXPECT_EQ(off.count_events("war_started"), 0u);
  EXPECT_TRUE(any_nonzero(base_runs(), "war_hazard."));
  EXPECT_GT(base_runs().count_events("war_started"), 0u);
  expect_economy_draws_unchanged(off);
}

TEST(MechanismSwitches, WarDynamicsOffEndsWarsAtOnceWithoutChange) {
  const auto off = run_ensemble(with_switch_off(base_text(), "war_dynamics"), switch_runs);
  EXPECT_GT(off.count_events("war_started"), 0u);  // wars still start, or the test proves nothing
  EXPECT_EQ(off.count_events("territory_change"), 0u);
  expect_all_zero(off, "battle_deaths.");
  expect_all_zero(off, "displaced.");
  expect_constant(off, "defender_control.");
  const std::size_t started = off.event_kind("war_started"), ceasefire = off.event_kind("ceasefire");
  for (const auto& run : off.runs) {
    for (std::size_t k = 0; k < run.events.size(); ++k) {
      if (run.events[k].kind != started) continue;
      bool ended_same_quarter = false;
      for (std::size_t j = k + 1; j < run.events.size(); ++j) {
        if (run.events[j].kind == ceasefire && run.events[j].quarter == run.events[k].quarter) {
          ended_same_quarter = true;
          EXPECT_EQ(run.events[j].value, 2.0);
          break;
        }
      }
      EXPECT_TRUE(ended_same_quarter) << "war at quarter " << run.events[k].quarter;
    }
  }
  EXPECT_TRUE(any_nonzero(base_runs(), "battle_deaths."));
  expect_economy_draws_unchanged(off);
}

TEST(MechanismSwitches, AlliancesOffIsTheWorldWithoutTheAlliance) {
  const auto off = run_ensemble(with_switch_off(base_text(), "alliances"), switch_runs);
  for (const char* kind : {"alliance_honoured", "abandonment", "alliance_exit", "alliance_join"}) {
    EXPECT_EQ(off.count_events(kind), 0u) << kind;
  }
  EXPECT_GT(base_runs().count_events("alliance_honoured") + base_runs().count_events("abandonment"), 0u);
  expect_economy_draws_unchanged(off);
  const auto none = run_ensemble(load(without_block(base_text(), "alliances"), example_file), switch_runs);
  expect_common_series_identical(off, none);
}

TEST(MechanismSwitches, MediationOffMeansNoCredibleMediationNoBrokeredCeasefire) {
  // In the example neither mediator leans far enough to the challenger to be believed
  // (Kydd); the distant mediator is made credible here so the switch has something to stop.
  const std::string text = replace_once(
      base_text(), "mediator: mediator, rivalry: border, bias_to_challenger: 0.5, effort: 0.5",
      "mediator: mediator, rivalry: border, bias_to_challenger: 0.95, effort: 0.5");
  const auto on = run_ensemble(load(text, example_file), switch_runs);
  const auto off = run_ensemble(with_switch_off(text, "mediation"), switch_runs);
  expect_all_zero(off, "credible_mediation.");
  const std::size_t ceasefire = off.event_kind("ceasefire");
  for (const auto& run : off.runs) {
    for (const auto& e : run.events) {
      if (e.kind == ceasefire) {
        EXPECT_NE(e.value, 1.0) << "mediated ceasefire with mediation off";
      }
    }
  }
  EXPECT_TRUE(any_nonzero(on, "credible_mediation."));
  expect_economy_draws_unchanged(off);
  const auto none = run_ensemble(load(without_block(text, "mediation"), example_file), switch_runs);
  expect_common_series_identical(off, none);
}

TEST(MechanismSwitches, PeacekeepingOffLeavesTheHazardAsWithoutMissions) {
  const auto off = run_ensemble(with_switch_off(base_text(), "peacekeeping"), switch_runs);
  std::string no_missions = without_block(base_text(), "peacekeeping");
  no_missions = replace_once(no_missions, "  - {date: 2008Q3, type: deploy_peacekeepers, mission: buffer, source: synthetic}\n", "");
  const auto none = run_ensemble(load(no_missions, example_file), switch_runs);
  // Troops are still reported (they are there), but nothing else may differ.
  expect_common_series_identical(off, none, {"peacekeepers."});
  EXPECT_TRUE(any_nonzero(off, "peacekeepers."));
  // With the mechanism on, the credible mission lowers the hazard once deployed (2008Q3 = q34).
  bool lowered = false;
  for (std::size_t r = 0; r < switch_runs && !lowered; ++r) {
    for (std::size_t q = 34; q < base_runs().quarters(); ++q) {
      const double with = base_runs().at(r, "war_hazard.border", q), without = none.at(r, "war_hazard.border", q);
      if (with > 0.0 && with < without) lowered = true;
    }
  }
  EXPECT_TRUE(lowered);
  expect_economy_draws_unchanged(off);
}

TEST(MechanismSwitches, BackersOffIsTheWorldWithoutBacking) {
  const auto off = run_ensemble(with_switch_off(base_text(), "backers"), switch_runs);
  // The policy no_backer names the backing's parameters, so it goes with the block.
  std::string none_text = without_block(base_text(), "backing");
  none_text = none_text.substr(0, none_text.find("\npolicies:"));
  const auto none = run_ensemble(load(none_text, example_file), switch_runs);
  expect_common_series_identical(off, none);
  EXPECT_NE(base_runs().series(0, "strength.south"), off.series(0, "strength.south"));
  expect_economy_draws_unchanged(off);
}

TEST(MechanismSwitches, AlignmentOffKeepsAlignmentsAtTheirStart) {
  const auto off = run_ensemble(with_switch_off(base_text(), "alignment"), switch_runs);
  expect_constant(off, "alignment.");
  EXPECT_EQ(off.at(0, "alignment.north->patron", 0), 0.8);
  EXPECT_EQ(off.at(0, "alignment.south->patron", 0), 0.5);
  EXPECT_TRUE(any_varies(base_runs(), "alignment."));
  expect_economy_draws_unchanged(off);
}

TEST(MechanismSwitches, CapacityShocksOffKeepsFullCapacity) {
  const auto off = run_ensemble(with_switch_off(base_text(), "capacity_shocks"), switch_runs);
  for (const auto& name : off.series_named("capacity.")) {
    for (std::size_t r = 0; r < switch_runs; ++r) {
      for (const double v : off.series(r, name)) ASSERT_EQ(v, 1.0) << name;
    }
  }
  EXPECT_EQ(base_runs().at(0, "capacity.patron", base_runs().quarters() - 1), 0.5);  // the 2014 shock
  expect_economy_draws_unchanged(off);
}

TEST(MechanismSwitches, PatronStrategyOffIsTheScriptedPatron) {
  const std::string optimising =
      replace_once(base_text(), "outside_power: {capacity: 1, will: 0.6, backer_aversion: 0.5}",
                   "outside_power: {capacity: 1, will: 0.6, backer_aversion: 0.5, strategy: optimise}");
  const auto off = run_ensemble(with_switch_off(optimising, "patron_strategy"), switch_runs);
  expect_common_series_identical(off, base_runs());
  expect_economy_draws_unchanged(off);
  // With the switch on the optimising patron runs too and keeps the same GDP draws.
  const auto on = run_ensemble(load(optimising, example_file), switch_runs);
  expect_economy_draws_unchanged(on);
}

TEST(MechanismSwitches, NegotiationOffMeansNoForecastNoConcession) {
  const auto off = run_ensemble(with_switch_off(base_text(), "negotiation"), switch_runs);
  expect_all_zero(off, "negotiation_forecast.");
  expect_all_zero(off, "negotiated_concession.");
  EXPECT_EQ(off.count_events("settlement"), 0u);
  EXPECT_TRUE(any_nonzero(base_runs(), "negotiation_forecast."));
  expect_economy_draws_unchanged(off);
  const auto none = run_ensemble(load(without_block(base_text(), "negotiations"), example_file), switch_runs);
  expect_common_series_identical(off, none);
}

TEST(MechanismSwitches, AllFourteenSwitchesOffTogetherStillRun) {
  const auto off = run_ensemble(
      load(base_text() +
               "\nmechanisms: {economy: false, arms_market: false, credit: false, quality: false, war_onset: false,"
               " war_dynamics: false, alliances: false, mediation: false, peacekeeping: false, backers: false,"
               " alignment: false, capacity_shocks: false, patron_strategy: false, negotiation: false}\n",
           example_file),
      4);
  expect_all_zero(off, "war_hazard.");
  expect_all_zero(off, "deliveries.");
  expect_all_zero(off, "arms_debt.");
  expect_all_zero(off, "negotiation_forecast.");
  expect_constant(off, "gdp.");
  expect_constant(off, "milex.");
  expect_constant(off, "alignment.");
  expect_constant(off, "capacity.");
}

}  // namespace
}  // namespace arbiter::model_test
