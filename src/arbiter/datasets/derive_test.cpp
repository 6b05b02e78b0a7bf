#include "arbiter/datasets/derive.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "arbiter/datasets/base_rates.hpp"
#include "arbiter/datasets/catalog.hpp"
#include "arbiter/datasets/csv.hpp"

// Checks the derived series built from the committed data/raw against numbers stated in the
// data sets' own documentation (data/raw/*/SOURCE.md) and in karabakh-facts/facts.csv.
namespace arbiter::datasets {
namespace {

const std::filesystem::path raw_dir = std::filesystem::path(ARBITER_SOURCE_DIR) / "data" / "raw";

const DerivedFiles& derived() {
  static const DerivedFiles files = build_derived(raw_dir);
  return files;
}

CsvTable derived_table(const std::string& name) { return parse_csv(derived().at(name), name); }

double value(const CsvTable& table, const std::string& period, const std::string& column) {
  for (const auto& row : table.rows) {
    if (row.fields[0] == period) return number(table, row, table.column(column));
  }
  ADD_FAILURE() << "no period " << period << " in " << table.file;
  return -1.0;
}

double sum(const CsvTable& table, int first, int last, const std::string& column) {
  double total = 0.0;
  for (int year = first; year <= last; ++year) total += value(table, std::to_string(year), column);
  return total;
}

TEST(Derived, WritesEveryPairTheKarabakhScenarioNames) {
  for (const char* name : {"arms_russia_armenia", "arms_russia_azerbaijan", "arms_israel_azerbaijan",
                           "arms_turkey_azerbaijan", "arms_belarus_azerbaijan", "arms_ukraine_azerbaijan",
                           "arms_india_armenia", "arms_france_armenia", "arms_total_armenia",
                           "arms_total_azerbaijan", "economy_armenia", "economy_azerbaijan", "capabilities",
                           "conflict", "facts"}) {
    EXPECT_TRUE(derived().contains(std::string("karabakh/data/") + name + ".csv")) << name;
  }
  EXPECT_TRUE(derived().contains("ethiopia-eritrea/data/arms_russia_eritrea.csv"));
  EXPECT_TRUE(derived().contains("ethiopia-eritrea/data/arms_russia_ethiopia.csv"));
  EXPECT_TRUE(derived().contains("validation/base_rates.csv"));
}

TEST(Derived, MilitaryExpenditureMatchesSipri2025Release) {
  // SIPRI milex SOURCE.md: Armenia 2023 = 1326.2 (constant 2023 US$ m); 1994 is missing.
  const auto armenia = derived_table("karabakh/data/economy_armenia.csv");
  EXPECT_DOUBLE_EQ(value(armenia, "2023", "milex_usd_bn_2023"), 1.3262);
  for (const auto& row : armenia.rows) {
    if (row.fields[0] == "1994") {
      EXPECT_TRUE(row.fields[armenia.column("milex_usd_bn_2023")].empty());
    }
  }
}

TEST(Derived, AzerbaijanOilRentsPeakIn2006) {
  // WDI SOURCE.md: Azerbaijan oil rents peak 39.7% of GDP in 2006, 37.1% in 2008.
  const auto azerbaijan = derived_table("karabakh/data/economy_azerbaijan.csv");
  EXPECT_NEAR(value(azerbaijan, "2006", "oil_rents_share_gdp"), 0.397, 0.0005);
  EXPECT_NEAR(value(azerbaijan, "2008", "oil_rents_share_gdp"), 0.371, 0.0005);
}

TEST(Derived, ArmsSharesMatchTheFactsDerivedFromTheSameRegister) {
  const auto azerbaijan = derived_table("karabakh/data/arms_total_azerbaijan.csv");
  const auto armenia = derived_table("karabakh/data/arms_total_armenia.csv");
  // KF056: total TIV 2010-2019, Azerbaijan 3462.7 vs Armenia 449.2.
  EXPECT_NEAR(sum(azerbaijan, 2010, 2019, "tiv_total_m"), 3462.7, 0.05);
  EXPECT_NEAR(sum(armenia, 2010, 2019, "tiv_total_m"), 449.2, 0.05);
  // KF054: 39.3% of Azerbaijan's TIV 2010-2019 from non-Russian suppliers; KF055: Armenia 93.3% from Russia.
  EXPECT_NEAR(sum(azerbaijan, 2010, 2019, "tiv_non_russia_m") / sum(azerbaijan, 2010, 2019, "tiv_total_m"), 0.393,
              0.0005);
  EXPECT_NEAR(sum(armenia, 2010, 2019, "tiv_russia_m") / sum(armenia, 2010, 2019, "tiv_total_m"), 0.933, 0.0005);
  // SOURCE.md cross-check 2016-2020: Armenia 94.5% from Russia, Azerbaijan 67.7% from Israel.
  const auto israel = derived_table("karabakh/data/arms_israel_azerbaijan.csv");
  EXPECT_NEAR(sum(armenia, 2016, 2020, "tiv_russia_m") / sum(armenia, 2016, 2020, "tiv_total_m"), 0.945, 0.0005);
  EXPECT_NEAR(sum(israel, 2016, 2020, "tiv_m") / sum(azerbaijan, 2016, 2020, "tiv_total_m"), 0.677, 0.0005);
}

TEST(Derived, ArmsPairValuesAreTheRegisterRelease) {
  // SOURCE.md revision examples (2026 register values): Turkiye->Azerbaijan 2020 = 28.8,
  // Russia->Azerbaijan 2014 = 558.5.
  EXPECT_DOUBLE_EQ(value(derived_table("karabakh/data/arms_turkey_azerbaijan.csv"), "2020", "tiv_m"), 28.8);
  EXPECT_DOUBLE_EQ(value(derived_table("karabakh/data/arms_russia_azerbaijan.csv"), "2014", "tiv_m"), 558.5);
}

TEST(Derived, KarabakhConflictYears) {
  const auto conflict = derived_table("karabakh/data/conflict.csv");
  // UCDP SOURCE.md / KF015-KF068: best estimates 1992 2167, 2016 141, 2020 7646 (7548-9077).
  EXPECT_DOUBLE_EQ(value(conflict, "1992", "ucdp_bd_best"), 2167);
  EXPECT_DOUBLE_EQ(value(conflict, "2016", "ucdp_bd_best"), 141);
  EXPECT_DOUBLE_EQ(value(conflict, "2020", "ucdp_bd_best"), 7646);
  EXPECT_DOUBLE_EQ(value(conflict, "2020", "ucdp_bd_low"), 7548);
  EXPECT_DOUBLE_EQ(value(conflict, "2020", "ucdp_bd_high"), 9077);
  EXPECT_DOUBLE_EQ(value(conflict, "1995", "ucdp_active"), 0);
  // COW inter-state war #216 1993-1994; intra-state war #872 1991-1993.
  EXPECT_DOUBLE_EQ(value(conflict, "1992", "cow_interstate_war"), 0);
  EXPECT_DOUBLE_EQ(value(conflict, "1993", "cow_interstate_war"), 1);
  EXPECT_DOUBLE_EQ(value(conflict, "1994", "cow_interstate_war"), 1);
  EXPECT_DOUBLE_EQ(value(conflict, "1991", "cow_intrastate_war"), 1);
  EXPECT_DOUBLE_EQ(value(conflict, "1994", "cow_intrastate_war"), 0);
}

TEST(Derived, EthiopiaEritreaWarYears) {
  const auto conflict = derived_table("ethiopia-eritrea/data/conflict.csv");
  for (const char* year : {"1998", "1999", "2000"}) {
    EXPECT_DOUBLE_EQ(value(conflict, year, "cow_interstate_war"), 1) << year;
    EXPECT_DOUBLE_EQ(value(conflict, year, "ucdp_intensity_level"), 2) << year;
  }
  EXPECT_DOUBLE_EQ(value(conflict, "2001", "cow_interstate_war"), 0);
  EXPECT_DOUBLE_EQ(value(conflict, "1999", "ucdp_bd_best"), 47192);
}

TEST(Derived, ArmeniaAzerbaijanMidOnsetYears) {
  // cow-mid SOURCE.md: disputes 3564 (from 1992), 4318 (1995), 4319 (1996), 4175 (1998), 4232 (2000),
  // 4235 and 4236 (2001), 4414 (2002) -> seven onset years over the rivalry 1991-2014.
  const auto mid = read_csv(raw_dir / raw_files::cow_mid);
  const std::vector<Rivalry> dyad = {{.id = 199, .cow_low = 371, .cow_high = 373, .first_year = 1991, .last_year = 2020}};
  const auto rate = count_base_rate(dyad, mid_events(mid), 1816, 2014);
  EXPECT_EQ(rate.dyad_years, 24);
  EXPECT_EQ(rate.onsets, 7);
}

}  // namespace
}  // namespace arbiter::datasets
