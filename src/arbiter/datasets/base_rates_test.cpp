#include "arbiter/datasets/base_rates.hpp"

#include <gtest/gtest.h>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {
namespace {

// Two rival pairs: 10-20 over 2000-2004 (twice listed, overlapping) and 30-40 over 2003-2006.
std::vector<Rivalry> toy_rivalries() {
  return {{.id = 1, .cow_low = 10, .cow_high = 20, .first_year = 2000, .last_year = 2003},
          {.id = 2, .cow_low = 10, .cow_high = 20, .first_year = 2002, .last_year = 2004},
          {.id = 3, .cow_low = 30, .cow_high = 40, .first_year = 2003, .last_year = 2006}};
}

TEST(BaseRates, CountsEachDyadYearOnceAndClipsToWindow) {
  EventYears events;
  // 10-20: episode 2001-2002 (onset 2001), new onset 2004; 30-40: onset 2005; 10-20 event in 1999 is outside.
  for (int y : {2001, 2002, 2004}) events.active.insert(dyad_year(20, 10, y));
  events.onset.insert(dyad_year(10, 20, 2001));
  events.onset.insert(dyad_year(10, 20, 2004));
  events.active.insert(dyad_year(40, 30, 2005));
  events.onset.insert(dyad_year(30, 40, 2005));
  events.onset.insert(dyad_year(10, 20, 1999));

  const auto all = count_base_rate(toy_rivalries(), events, 1990, 2010);
  EXPECT_EQ(all.rival_dyads, 2);
  EXPECT_EQ(all.dyad_years, 5 + 4);
  EXPECT_EQ(all.onsets, 3);
  // At risk: not active the year before; drops 10-20 in 2002 and 2003, 30-40 in 2006.
  EXPECT_EQ(all.dyad_years_at_risk, 6);
  EXPECT_EQ(all.onsets_at_risk, 3);

  // Before a 2004 origin: window ends 2003, so 10-20 has 4 years, 30-40 one, and one onset.
  const auto before = count_base_rate(toy_rivalries(), events, 1990, 2003);
  EXPECT_EQ(before.dyad_years, 5);
  EXPECT_EQ(before.onsets, 1);
  EXPECT_EQ(before.rival_dyads, 2);
}

TEST(BaseRates, UcdpOnsetIsFirstActiveYearOfARun) {
  const auto acd = parse_csv(
      "conflict_id,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,intensity_level\n"
      "1,1990,10,,20,,1\n"
      "1,1991,10,,20,,2\n"
      "1,1993,10,\"30, 40\",20,,1\n"
      "2,1993,50,,60,20,1\n",
      "acd.csv");
  const auto events = ucdp_events(acd, false);
  EXPECT_TRUE(events.onset.contains(dyad_year(10, 20, 1990)));
  EXPECT_FALSE(events.onset.contains(dyad_year(10, 20, 1991)));
  EXPECT_TRUE(events.onset.contains(dyad_year(10, 20, 1993)));
  EXPECT_TRUE(events.active.contains(dyad_year(20, 40, 1993)));  // secondary party on side A
  EXPECT_TRUE(events.active.contains(dyad_year(20, 50, 1993)));  // secondary party on side B
  EXPECT_FALSE(events.active.contains(dyad_year(30, 40, 1993)));  // same side
  const auto wars = ucdp_events(acd, true);
  EXPECT_EQ(wars.active.size(), 1U);
  EXPECT_TRUE(wars.onset.contains(dyad_year(10, 20, 1991)));
}

TEST(BaseRates, GleditschWardCodesAreMappedToCow) {
  const auto acd = parse_csv(
      "conflict_id,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,intensity_level\n"
      "7,1995,260,,678,,1\n",
      "acd.csv");
  const auto dyads = ucdp_opposed_dyads(acd, acd.rows[0]);
  ASSERT_EQ(dyads.size(), 1U);
  EXPECT_EQ(dyads[0], dyad_year(255, 679, 1995));
}

TEST(BaseRates, BadStateCodeListIsAnInputErrorAtTheCell) {
  const auto acd = parse_csv(
      "conflict_id,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,intensity_level\n"
      "7,1995,260,x1,678,,1\n",
      "acd.csv");
  try {
    (void)ucdp_opposed_dyads(acd, acd.rows[0]);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.diagnostics().at(0).location, (diagnostics::InputLocation{"acd.csv", 2, 12}));
  }
}

}  // namespace
}  // namespace arbiter::datasets
