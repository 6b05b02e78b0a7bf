#pragma once

#include <compare>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/datasets/csv.hpp"

// Naive baselines for backtests: how often strategic-rival dyads had a militarised dispute or
// went to war per year, counted only over years before a backtest origin.
namespace arbiter::datasets {

struct Rivalry {
  long id = 0;
  int cow_low = 0;  // the lower COW code of the pair
  int cow_high = 0;
  int first_year = 0;
  int last_year = 0;  // right-censored at the data set's end when ongoing
};

struct DyadYear {
  int cow_low = 0;
  int cow_high = 0;
  int year = 0;
  friend auto operator<=>(const DyadYear&, const DyadYear&) = default;
};

/// Dyad-years in which an event (dispute, war, armed conflict) was going on, and those in which
/// a new one began.
struct EventYears {
  std::set<DyadYear> active;
  std::set<DyadYear> onset;
};

struct BaseRate {
  int origin_year = 0;
  std::string event;
  std::string data_set;
  int window_first_year = 0;
  int window_last_year = 0;
  int rival_dyads = 0;
  int dyad_years = 0;
  int onsets = 0;             // dyad-years with at least one onset
  int dyad_years_at_risk = 0; // dyad-years with no event going on in the previous year
  int onsets_at_risk = 0;
  std::string definition;
};

[[nodiscard]] DyadYear dyad_year(int cow_a, int cow_b, int year);

/// Thompson, Sakuwa & Suhas (2021) rows: tssr_id, ccode1, ccode2, start, end.
[[nodiscard]] std::vector<Rivalry> read_rivalries(const CsvTable& tss);
/// "531, 600" -> {531, 600}; empty cell -> {}; InputError at the cell for anything else.
[[nodiscard]] std::vector<int> code_list(const CsvTable& table, const CsvRecord& record, std::size_t column);
/// Unordered COW-coded pairs on opposite sides of one UCDP ACD conflict-year, primary and
/// secondary parties included (a state backing one side with troops counts as on that side).
[[nodiscard]] std::vector<DyadYear> ucdp_opposed_dyads(const CsvTable& acd, const CsvRecord& record);

[[nodiscard]] EventYears mid_events(const CsvTable& cow_mid_dyadic);
[[nodiscard]] EventYears cow_war_events(const CsvTable& cow_interstate_dyadic);
/// Armed conflict (>= 25 battle deaths) or, with `war_level_only`, war-level years (>= 1000).
/// Onset = active this year and not the year before.
[[nodiscard]] EventYears ucdp_events(const CsvTable& acd, bool war_level_only);

/// Counts over the rival dyad-years within [first_year, last_year]; fills the count fields only.
[[nodiscard]] BaseRate count_base_rate(const std::vector<Rivalry>& rivalries, const EventYears& events,
                                       int first_year, int last_year);

[[nodiscard]] std::vector<BaseRate> compute_base_rates(const CsvTable& tss, const CsvTable& cow_mid_dyadic,
                                                       const CsvTable& cow_interstate_dyadic,
                                                       const CsvTable& ucdp_acd);
[[nodiscard]] std::string render_base_rates(const std::vector<BaseRate>& rates);

}  // namespace arbiter::datasets
