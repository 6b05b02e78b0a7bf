// The causal links of the seed articles, end to end, on the small controlled scenarios in
// tests/model/scenarios. Each link compares two variants of one scenario over many Monte
// Carlo runs with common random numbers (same master seed and run indices; policies keep
// the baseline's parameter draws), and asserts on the mean paired difference with a margin
// of several standard errors, never on a single run. Effect sizes are printed for the record.
#include <iostream>

#include "arbiter/rules/arms_trade.hpp"
#include "arbiter/rules/richardson.hpp"
#include "model_support.hpp"

namespace arbiter::model_test {
namespace {

constexpr std::size_t runs = 400;

scenario::Scenario scenario_file(const std::string& name) { return load_file(scenario_dir + "/" + name); }

void report(const std::string& what, const Comparison& c) {
  std::cout << "  [effect] " << what << ": " << c << "\n";
  ::testing::Test::RecordProperty(what, std::to_string(c.diff));
}

Metric last_quarter(const std::string& series) {
  return [series](const Ensemble& e, std::size_t r) { return e.at(r, series, e.quarters() - 1); };
}
Metric at_quarter(const std::string& series, std::size_t q) {
  return [series, q](const Ensemble& e, std::size_t r) { return e.at(r, series, q); };
}
Metric summary_of(const std::string& name) {
  return [name](const Ensemble& e, std::size_t r) { return e.summary(r, name); };
}
/// Number of wars that start in quarters [from, end).
Metric wars_from(std::size_t from) {
  return [from](const Ensemble& e, std::size_t r) {
    const std::size_t kind = e.event_kind("war_started");
    double count = 0.0;
    for (const auto& event : e.runs[r].events) count += event.kind == kind && event.quarter >= from ? 1.0 : 0.0;
    return count;
  };
}

// ---- 1 --------------------------------------------------------------------------------------
TEST(CausalLinks, CheaperArmsShiftTheBalanceTowardTheBuyer) {
  const auto s = scenario_file("arms_price.yaml");
  const auto base = run_ensemble(s, runs);
  const auto cheap_c = run_ensemble(s, runs, "cheap_for_challenger");
  const auto cheap_d = run_ensemble(s, runs, "cheap_for_defender");

  const auto win_c = compare(base, cheap_c, last_quarter("challenger_win_probability.dispute"));
  const auto strength_c = compare(base, cheap_c, last_quarter("strength.challenger"));
  const auto rival_strength = compare(base, cheap_c, last_quarter("strength.defender"));
  const auto win_d = compare(base, cheap_d, last_quarter("challenger_win_probability.dispute"));
  report("win probability, half price to challenger", win_c);
  report("challenger strength, half price to challenger", strength_c);
  report("win probability, half price to defender", win_d);
  EXPECT_TRUE(win_c.clearly_positive(4.0, 0.02)) << win_c;
  EXPECT_TRUE(strength_c.clearly_positive(4.0, 1.0)) << strength_c;
  EXPECT_EQ(rival_strength.diff, 0.0) << "the rival's purchases do not depend on the other's price";
  EXPECT_TRUE(win_d.clearly_negative(4.0, 0.02)) << win_d;
}

// ---- 2 --------------------------------------------------------------------------------------
TEST(CausalLinks, AllianceInScopeDetersAndOutOfScopeHardly) {
  const std::string text = read_text_file(scenario_dir + "/alliance_scope.yaml");
  const auto in_scope = load(text, scenario_dir + "/alliance_scope.yaml");
  const auto out_of_scope =
      load(replace_once(text, "scope: members_territory_and_disputed_areas", "scope: members_territory"),
           scenario_dir + "/alliance_scope.yaml");
  const auto hazard = at_quarter("war_hazard.dispute", 0);
  const auto in = compare(run_ensemble(in_scope, runs, "no_guarantee"), run_ensemble(in_scope, runs), hazard);
  const auto out =
      compare(run_ensemble(out_of_scope, runs, "no_guarantee"), run_ensemble(out_of_scope, runs), hazard);
  report("hazard, alliance in scope vs none", in);
  report("hazard, alliance out of scope vs none", out);
  EXPECT_TRUE(in.clearly_negative(4.0, 0.02)) << in;
  EXPECT_LE(out.diff, 0.0) << out;  // never raises it
  EXPECT_LT(-out.diff, 0.25 * -in.diff) << "out of scope must deter far less: " << out << " vs " << in;

  const auto wars_in =
      compare(run_ensemble(in_scope, runs, "no_guarantee"), run_ensemble(in_scope, runs), summary_of("war_occurred.dispute"));
  report("P(war in 5 years), alliance in scope vs none", wars_in);
  EXPECT_TRUE(wars_in.clearly_negative(4.0, 0.05)) << wars_in;
}

// ---- 3 and 4 --------------------------------------------------------------------------------
TEST(CausalLinks, PeacekeepersDeterOnlyWhileThePatronIsCredible) {
  const std::string file = scenario_dir + "/peacekeeping.yaml";
  const std::string text = read_text_file(file);
  const auto with_mission = load(text, file);
  const auto without_mission = load(
      replace_once(text, "events:\n  - {date: 2000Q1, type: deploy_peacekeepers, mission: buffer, source: synthetic}\n", ""),
      file);
  const auto none = run_ensemble(without_mission, runs);
  const auto hazard = at_quarter("war_hazard.dispute", 0);
  const auto credible = compare(none, run_ensemble(with_mission, runs), hazard);
  const auto unwilling = compare(none, run_ensemble(with_mission, runs, "unwilling_patron"), hazard);
  const auto incapable = compare(none, run_ensemble(with_mission, runs, "incapable_patron"), hazard);
  report("hazard, credible mission vs none", credible);
  report("hazard, mission of an unwilling patron vs none", unwilling);
  report("hazard, mission of an incapable patron vs none", incapable);
  EXPECT_TRUE(credible.clearly_negative(4.0, 0.02)) << credible;
  EXPECT_LT(-unwilling.diff, 0.05 * -credible.diff) << unwilling;
  EXPECT_LT(-incapable.diff, 0.05 * -credible.diff) << incapable;
  // The factor is 1 - (1 - hazard_ratio) * credibility: 0.35 at full credibility.
  EXPECT_NEAR(credible.mean_b / credible.mean_a, 0.35, 1e-9);
  EXPECT_NEAR(unwilling.mean_b / unwilling.mean_a, 1.0 - 0.65 * 0.02, 1e-9);
}

TEST(CausalLinks, CapacityShockToThePatronRaisesTheHazard) {
  const auto s = scenario_file("peacekeeping.yaml");
  const auto base = run_ensemble(s, runs);
  const auto shocked = run_ensemble(s, runs, "capacity_shock");
  const auto before = compare(base, shocked, at_quarter("war_hazard.dispute", 7));
  const auto at_shock = compare(base, shocked, at_quarter("war_hazard.dispute", 8));
  const auto wars_after = compare(base, shocked, wars_from(8));
  report("hazard at 2002Q1, capacity shock vs none", at_shock);
  report("wars started from 2002Q1, capacity shock vs none", wars_after);
  EXPECT_EQ(before.diff, 0.0) << "nothing differs before the shock";
  EXPECT_TRUE(at_shock.clearly_positive(4.0, 0.02)) << at_shock;
  EXPECT_TRUE(wars_after.clearly_positive(4.0, 0.05)) << wars_after;
}

// ---- 5 --------------------------------------------------------------------------------------
TEST(CausalLinks, BackerRaisesItsClientsChances) {
  const auto s = scenario_file("backer.yaml");
  const auto without = run_ensemble(s, runs, "no_backer");
  const auto with = run_ensemble(s, runs);
  const auto win_now = compare(without, with, at_quarter("challenger_win_probability.dispute", 0));
  const auto win_later = compare(without, with, at_quarter("challenger_win_probability.dispute", 8));
  const auto held = compare(without, with, summary_of("final_defender_control.dispute"));
  report("challenger win probability at start, backer vs none", win_now);
  report("challenger win probability in 2002Q1, backer vs none", win_later);
  report("defender's final control, backer vs none", held);
  EXPECT_TRUE(win_now.clearly_positive(4.0, 0.02)) << win_now;
  EXPECT_TRUE(win_later.clearly_positive(4.0, 0.02)) << win_later;
  EXPECT_TRUE(held.clearly_negative(4.0, 0.02)) << held;
}

TEST(CausalLinks, BackerOfTheDefenderLowersTheChallengersChances) {
  // The same file with the backer on the other side (its policy renamed along with it).
  const std::string file = scenario_dir + "/backer.yaml";
  std::string text = read_text_file(file);
  text = replace_once(text, "client: challenger", "client: defender");
  text = replace_once(text, "{backing.backer->challenger.materiel: 0, backing.backer->challenger.advisers: 0, "
                            "backing.backer->challenger.political: 0}",
                      "{backing.backer->defender.materiel: 0, backing.backer->defender.advisers: 0, "
                      "backing.backer->defender.political: 0}");
  const auto s = load(text, file);
  const auto without = run_ensemble(s, runs, "no_backer");
  const auto with = run_ensemble(s, runs);
  const auto win_later = compare(without, with, at_quarter("challenger_win_probability.dispute", 8));
  const auto held = compare(without, with, summary_of("final_defender_control.dispute"));
  report("challenger win probability in 2002Q1, defender's backer vs none", win_later);
  report("defender's final control, defender's backer vs none", held);
  EXPECT_TRUE(win_later.clearly_negative(4.0, 0.02)) << win_later;
  EXPECT_TRUE(held.clearly_positive(4.0, 0.02)) << held;
}

// ---- 6 --------------------------------------------------------------------------------------
TEST(CausalLinks, SellingToBothSidesEarnsFromBoth) {
  const auto s = scenario_file("sell_both.yaml");
  const auto both = run_ensemble(s, runs / 4);
  const auto one = run_ensemble(s, runs / 4, "no_sales_to_challenger");
  double from_challenger = 0.0, from_defender = 0.0;
  for (std::size_t r = 0; r < both.runs.size(); ++r) {
    const double c = both.summary(r, "arms_revenue.patron->challenger");
    const double d = both.summary(r, "arms_revenue.patron->defender");
    EXPECT_GT(c, 0.0) << r;
    EXPECT_GT(d, 0.0) << r;
    EXPECT_NEAR(both.summary(r, "arms_revenue_total.patron"), c + d, 1e-9 * (c + d));
    from_challenger += c;
    from_defender += d;
    // Stopping sales to one side removes that revenue and leaves the other's untouched.
    EXPECT_EQ(one.summary(r, "arms_revenue.patron->challenger"), 0.0);
    EXPECT_NEAR(one.summary(r, "arms_revenue.patron->defender"), d, 1e-9 * d);
  }
  std::cout << "  [effect] mean revenue over 5 years: from challenger "
            << from_challenger / static_cast<double>(both.runs.size()) << ", from defender "
            << from_defender / static_cast<double>(both.runs.size()) << " USD bn\n";
}

// ---- 7 --------------------------------------------------------------------------------------
TEST(CausalLinks, AbandonmentMovesTheClientAway) {
  const auto s = scenario_file("abandonment.yaml");
  const auto abandoned = run_ensemble(s, runs);
  const auto honoured = run_ensemble(s, runs, "reliable_guarantor");
  const std::string align = "alignment.defender->patron";
  const std::size_t kind = abandoned.event_kind("abandonment");
  std::size_t checked = 0;
  for (std::size_t r = 0; r < abandoned.runs.size(); ++r) {
    const auto path = abandoned.series(r, align);
    for (const auto& e : abandoned.runs[r].events) {
      if (e.kind != kind) continue;
      const double before = e.quarter == 0 ? 0.8 : path[e.quarter - 1];
      EXPECT_NEAR(path[e.quarter], before * (1.0 - 0.3), 1e-12) << "run " << r << " quarter " << e.quarter;
      ++checked;
    }
  }
  EXPECT_GT(checked, runs / 4) << "abandonments must happen for the test to mean anything";
  EXPECT_EQ(honoured.count_events("abandonment"), 0u);
  const auto final_alignment = compare(honoured, abandoned, last_quarter(align));
  report("defender's final alignment with patron, abandoned vs honoured", final_alignment);
  EXPECT_TRUE(final_alignment.clearly_negative(4.0, 0.05)) << final_alignment;
  EXPECT_NEAR(final_alignment.mean_a, 0.8, 1e-12);
}

// ---- 8 --------------------------------------------------------------------------------------
TEST(CausalLinks, CredibleMediatorLowersTheHazardAndNonCredibleDoesNot) {
  const auto s = scenario_file("mediation.yaml");
  const auto inactive = run_ensemble(s, runs, "inactive");
  const auto credible = compare(inactive, run_ensemble(s, runs), at_quarter("war_hazard.dispute", 0));
  const auto biased = run_ensemble(s, runs, "biased_to_defender");
  const auto not_credible = compare(inactive, biased, at_quarter("war_hazard.dispute", 0));
  report("hazard, credible mediator vs none", credible);
  report("hazard, mediator leaning to the defender vs none", not_credible);
  EXPECT_TRUE(credible.clearly_negative(4.0, 0.02)) << credible;
  EXPECT_EQ(not_credible.diff, 0.0) << not_credible;
  for (std::size_t r = 0; r < runs; ++r) EXPECT_EQ(biased.at(r, "credible_mediation.dispute", 0), 0.0);
}

// ---- 9 --------------------------------------------------------------------------------------
TEST(CausalLinks, LoanRaisesDeliveriesAndDebtFollowsTheAnnuity) {
  const auto s = scenario_file("loan.yaml");
  const auto with = run_ensemble(s, 8);
  const auto without = run_ensemble(s, 8, "no_loan");
  const std::string deliveries = "deliveries.lender->borrower";
  // Drawn in quarter 4, delivered one quarter later.
  const auto extra = compare(without, with, [&](const Ensemble& e, std::size_t r) {
    double sum = 0.0;
    for (std::size_t q = 4; q <= 6; ++q) sum += e.at(r, deliveries, q);
    return sum;
  });
  report("deliveries lender->borrower 2001Q1-Q3, loan of 2 vs none", extra);
  EXPECT_GT(extra.diff, 0.95 * 2.0);
  EXPECT_LE(extra.diff, 2.0);
  // The debt: interest only for the year of grace (4 quarters), then 12 level payments.
  const auto schedule = rules::amortise(2.0, 0.04 * 0.25, 4, 12);
  ASSERT_EQ(schedule.outstanding.size(), 16u);
  for (std::size_t r = 0; r < with.runs.size(); ++r) {
    const auto debt = with.series(r, "arms_debt.borrower");
    for (std::size_t q = 0; q < 4; ++q) EXPECT_EQ(debt[q], 0.0);
    for (std::size_t k = 0; k < schedule.outstanding.size(); ++k) {
      EXPECT_NEAR(debt[4 + k], schedule.outstanding[k], 1e-9) << "quarter " << 4 + k;
    }
    for (std::size_t q = 20; q < debt.size(); ++q) EXPECT_NEAR(debt[q], 0.0, 1e-9);
  }
}

// ---- 10 -------------------------------------------------------------------------------------
TEST(CausalLinks, RichardsonBudgetsRespondToTheRival) {
  const auto s = scenario_file("richardson.yaml");
  const auto reacting = run_ensemble(s, 2);
  const auto deaf = run_ensemble(s, 2, "no_reaction");
  const std::size_t last = reacting.quarters() - 1;
  const double start = 3.0;  // 3% of GDP 100
  for (std::size_t r = 0; r < 2; ++r) {
    // Before the grievance both sides sit at their calibrated equilibrium.
    EXPECT_NEAR(reacting.at(r, "milex.defender", 7), start, 1e-9);
    EXPECT_NEAR(reacting.at(r, "milex.challenger", 7), start, 1e-9);
  }
  // Twenty years later both are at the shifted equilibrium of dx = k y - a x + g, dy = l x - b y.
  const auto shift = rules::richardson_equilibrium({.k = 0.1, .l = 0.1, .a = 0.5, .b = 0.5, .g = 1.0, .h = 0.0});
  const auto no_shift = rules::richardson_equilibrium({.k = 0.0, .l = 0.0, .a = 0.5, .b = 0.5, .g = 1.0, .h = 0.0});
  EXPECT_NEAR(reacting.at(0, "milex.defender", last), start + shift.y, 0.01 * shift.y);
  EXPECT_NEAR(reacting.at(0, "milex.challenger", last), start + shift.x, 0.01 * shift.x);
  EXPECT_NEAR(deaf.at(0, "milex.defender", last), start + no_shift.y, 1e-9);
  EXPECT_NEAR(deaf.at(0, "milex.challenger", last), start + no_shift.x, 0.01 * no_shift.x);
  // And the whole path is the exact discretisation of that system, started at the old
  // equilibrium when the grievance appears (quarter 8).
  const rules::RichardsonExactStep step({.k = 0.1, .l = 0.1, .a = 0.5, .b = 0.5, .g = 1.0, .h = 0.0}, 0.25);
  std::array<double, 2> deviation{0.0, 0.0};
  for (std::size_t q = 8; q <= last; ++q) {
    deviation = step(deviation);
    EXPECT_NEAR(reacting.at(0, "milex.challenger", q), start + deviation[0], 1e-9) << q;
    EXPECT_NEAR(reacting.at(0, "milex.defender", q), start + deviation[1], 1e-9) << q;
  }
  std::cout << "  [effect] defender budget after the rival's grievance: reaction 0.1 -> "
            << reacting.at(0, "milex.defender", last) << ", reaction 0 -> " << deaf.at(0, "milex.defender", last)
            << " USD bn/yr (from 3)\n";
  // The defender's rise is monotone: it follows the rival, it does not overshoot.
  const auto path = reacting.series(0, "milex.defender");
  for (std::size_t q = 9; q <= last; ++q) EXPECT_GE(path[q], path[q - 1] - 1e-12) << q;
  EXPECT_GT(path[last], start + 0.3);
}


TEST(CausalLinks, RichardsonBudgetFollowsAnObservedRivalBudget) {
  // The challenger's budget is data (3, then 5 from 2002); the defender's is modelled and
  // should settle where dy/dt = l x - b y + h is zero for the observed x: up by l * 2 / b.
  const std::string file = scenario_dir + "/richardson.yaml";
  std::string years;
  for (int year = 2000; year <= 2019; ++year) years += (years.empty() ? "" : ", ") + std::to_string(year) + (year < 2002 ? ": 3" : ": 5");
  std::string text = read_text_file(file);
  text = replace_once(text, "    economy: {gdp: 100, milex_share_gdp: 0.03}\n    military: {capability: 10}\n  - id: defender",
                      "    economy: {gdp: 100, milex: {" + years + "}}\n    military: {capability: 10}\n  - id: defender");
  const auto s = load(text, file);
  const auto reacting = run_ensemble(s, 1);
  const auto deaf = run_ensemble(s, 1, "no_reaction");
  const std::size_t last = reacting.quarters() - 1;
  std::cout << "  [effect] defender budget after the rival's observed rise 3 -> 5: reaction 0.1 -> "
            << reacting.at(0, "milex.defender", last) << ", reaction 0 -> " << deaf.at(0, "milex.defender", last) << "\n";
  EXPECT_NEAR(reacting.at(0, "milex.defender", 7), 3.0, 1e-9);
  EXPECT_NEAR(reacting.at(0, "milex.defender", last), 3.0 + 0.1 * 2.0 / 0.5, 1e-3);
  EXPECT_NEAR(deaf.at(0, "milex.defender", last), 3.0, 1e-9);
}

}  // namespace
}  // namespace arbiter::model_test
