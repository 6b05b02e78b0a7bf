#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Which countries, files and identifiers the two scenarios use. One place, so that the raw-data
// filter (extract) and the derived files (derive) cannot disagree about what is needed.
namespace arbiter::datasets {

struct Actor {
  std::string_view id;                // file-name id, e.g. "armenia"
  std::string_view wdi_code;          // World Bank ISO3 "Country Code"
  std::string_view sipri_milex_name;  // `country` in the SIPRI milex 2025 release
  std::string_view sipri_at_name;     // Supplier/Recipient in the SIPRI trade register
  int cow_code;                       // Correlates of War state code
};

/// Every actor any scenario needs, sorted by id.
[[nodiscard]] const std::vector<Actor>& actors();
/// Throws InternalError for an id not in actors().
[[nodiscard]] const Actor& actor(std::string_view id);
/// File-name id for a SIPRI trade-register party ("United States" -> "usa", "Turkiye" -> "turkey").
[[nodiscard]] std::string party_id(std::string_view sipri_at_name);

struct ConflictCase {
  std::string_view id;                     // folder under the output dir, e.g. "karabakh"
  std::vector<std::string_view> actors;    // economy_<actor>.csv and capabilities.csv columns
  int cow_a;                               // the rival dyad, COW codes (cow_a < cow_b)
  int cow_b;
  std::vector<long> ucdp_conflict_ids;     // UCDP conflicts that are this dyad's fighting
  std::vector<long> cow_intrastate_wars;   // COW intra-state wars fought over the same issue
  std::vector<std::string_view> arms_recipients;  // SIPRI names; totals file for each
  /// Pairs (SIPRI supplier name, SIPRI recipient name) always written.
  std::vector<std::pair<std::string_view, std::string_view>> arms_pairs;
  /// When first <= last: also every supplier that delivered to a recipient in these years.
  int supplier_window_first = 1;
  int supplier_window_last = 0;
};

[[nodiscard]] const std::vector<ConflictCase>& conflict_cases();

// Year ranges of the derived series (each clipped further by what the data cover).
inline constexpr int economy_first_year = 1992;
inline constexpr int economy_last_year = 2024;
inline constexpr int capabilities_first_year = 1992;
inline constexpr int capabilities_last_year = 2022;  // NMC v7.0 ends in 2022
inline constexpr int conflict_first_year = 1989;     // UCDP battle deaths start in 1989
inline constexpr int conflict_last_year = 2023;      // UCDP v24.1 ends in 2023
inline constexpr int cow_war_last_year = 2007;       // COW war data v4.x end in 2007
inline constexpr int cow_mid_last_year = 2014;       // COW-MID v5.0 ends in 2014
inline constexpr int arms_first_year = 1995;         // the trade register lists deliveries 1995-2024
inline constexpr int arms_last_year = 2024;
inline constexpr int nmc_first_year_kept = 1946;     // raw NMC rows kept for focal states

/// Raw file names (inside data/raw/<set>/), identical to the shared originals.
namespace raw_files {
inline constexpr std::string_view wdi_gdp = "worldbank-wdi/wdi_NY.GDP.MKTP.KD_gdp_constant2015_usd.csv";
inline constexpr std::string_view wdi_oil = "worldbank-wdi/wdi_NY.GDP.PETR.RT.ZS_oil_rents_pct_gdp.csv";
inline constexpr std::string_view milex_constant = "sipri-milex/milex_2025release_constant2023_usd_m.csv";
inline constexpr std::string_view milex_share = "sipri-milex/milex_2025release_share_of_gdp_pct.csv";
inline constexpr std::string_view arms_register = "sipri-arms-transfers/sipri_trade_register_deliveries_1995-2024.csv";
inline constexpr std::string_view nmc = "cow-nmc/NMC_v7_0_peacesciencer.csv";
inline constexpr std::string_view cow_inter = "cow-wars/cow_interstate_war_v4_0_dyadyear.csv";
inline constexpr std::string_view cow_intra = "cow-wars/cow_intrastate_war_v4_1_yearly.csv";
inline constexpr std::string_view cow_mid = "cow-mid/cow_mid_v5_0_directed_dyadic_dispute_years.csv";
inline constexpr std::string_view rivalries = "rivalries/thompson_sakuwa_suhas_2021_strategic_rivalries.csv";
inline constexpr std::string_view ucdp_acd = "ucdp/UcdpPrioConflict_v24_1.csv";
inline constexpr std::string_view ucdp_brd = "ucdp/ucdp_brd_dyadic_v24_1.csv";
inline constexpr std::string_view facts = "karabakh-facts/facts.csv";
}  // namespace raw_files

/// Maps a Gleditsch-Ward code (UCDP) to the COW code for the same state in `year`. The two lists
/// differ only for a few states; these are the ones that occur in strategic rivalries.
[[nodiscard]] int gw_to_cow(int gw_code, int year);

}  // namespace arbiter::datasets
