#include "arbiter/datasets/base_rates.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "arbiter/datasets/catalog.hpp"
#include "arbiter/datasets/series.hpp"
#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {

DyadYear dyad_year(int cow_a, int cow_b, int year) {
  return DyadYear{.cow_low = std::min(cow_a, cow_b), .cow_high = std::max(cow_a, cow_b), .year = year};
}

std::vector<Rivalry> read_rivalries(const CsvTable& tss) {
  const auto id = tss.column("tssr_id");
  const auto c1 = tss.column("ccode1");
  const auto c2 = tss.column("ccode2");
  const auto start = tss.column("start");
  const auto end = tss.column("end");
  std::vector<Rivalry> rivalries;
  for (const auto& row : tss.rows) {
    const int a = static_cast<int>(integer(tss, row, c1));
    const int b = static_cast<int>(integer(tss, row, c2));
    rivalries.push_back(Rivalry{.id = integer(tss, row, id),
                                .cow_low = std::min(a, b),
                                .cow_high = std::max(a, b),
                                .first_year = static_cast<int>(integer(tss, row, start)),
                                .last_year = static_cast<int>(integer(tss, row, end))});
  }
  return rivalries;
}

std::vector<int> code_list(const CsvTable& table, const CsvRecord& record, std::size_t column) {
  std::vector<int> codes;
  std::string_view cell = record.fields.at(column);
  while (!cell.empty()) {
    const auto comma = cell.find(',');
    std::string_view item = cell.substr(0, comma);
    while (item.starts_with(' ')) item.remove_prefix(1);
    int code = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), code);
    if (item.empty() || error != std::errc{} || end != item.data() + item.size()) {
      throw InputError({cell_diagnostic(table, record, column,
                                        fmt::format("'{}' is not a list of state codes", record.fields[column]),
                                        "whole numbers separated by ', '", "csv.not-a-code-list")});
    }
    codes.push_back(code);
    if (comma == std::string_view::npos) break;
    cell.remove_prefix(comma + 1);
  }
  return codes;
}

std::vector<DyadYear> ucdp_opposed_dyads(const CsvTable& acd, const CsvRecord& record) {
  const int year = static_cast<int>(integer(acd, record, acd.column("year")));
  auto side = [&](std::string_view primary, std::string_view secondary) {
    auto codes = code_list(acd, record, acd.column(primary));
    for (int code : code_list(acd, record, acd.column(secondary))) codes.push_back(code);
    for (int& code : codes) code = gw_to_cow(code, year);
    return codes;
  };
  const auto side_a = side("gwno_a", "gwno_a_2nd");
  const auto side_b = side("gwno_b", "gwno_b_2nd");
  std::vector<DyadYear> dyads;
  for (int a : side_a) {
    for (int b : side_b) {
      if (a != b) dyads.push_back(dyad_year(a, b, year));
    }
  }
  std::sort(dyads.begin(), dyads.end());
  dyads.erase(std::unique(dyads.begin(), dyads.end()), dyads.end());
  return dyads;
}

EventYears mid_events(const CsvTable& mid) {
  const auto c1 = mid.column("ccode1");
  const auto c2 = mid.column("ccode2");
  const auto year = mid.column("year");
  const auto onset = mid.column("disponset");
  EventYears events;
  for (const auto& row : mid.rows) {
    const auto key = dyad_year(static_cast<int>(integer(mid, row, c1)), static_cast<int>(integer(mid, row, c2)),
                               static_cast<int>(integer(mid, row, year)));
    events.active.insert(key);
    if (integer(mid, row, onset) == 1) events.onset.insert(key);
  }
  return events;
}

EventYears cow_war_events(const CsvTable& inter) {
  const auto c1 = inter.column("ccode1");
  const auto c2 = inter.column("ccode2");
  const auto year = inter.column("year");
  const auto ongoing = inter.column("cowinterongoing");
  const auto onset = inter.column("cowinteronset");
  EventYears events;
  for (const auto& row : inter.rows) {
    const auto key = dyad_year(static_cast<int>(integer(inter, row, c1)),
                               static_cast<int>(integer(inter, row, c2)),
                               static_cast<int>(integer(inter, row, year)));
    if (integer(inter, row, ongoing) == 1) events.active.insert(key);
    if (integer(inter, row, onset) == 1) events.onset.insert(key);
  }
  return events;
}

EventYears ucdp_events(const CsvTable& acd, bool war_level_only) {
  const auto intensity = acd.column("intensity_level");
  EventYears events;
  for (const auto& row : acd.rows) {
    if (war_level_only && integer(acd, row, intensity) != 2) continue;
    for (const auto& key : ucdp_opposed_dyads(acd, row)) events.active.insert(key);
  }
  for (const auto& key : events.active) {
    if (!events.active.contains(DyadYear{key.cow_low, key.cow_high, key.year - 1})) events.onset.insert(key);
  }
  return events;
}

BaseRate count_base_rate(const std::vector<Rivalry>& rivalries, const EventYears& events, int first_year,
                         int last_year) {
  // A pair can have several rivalry spells (e.g. "Britain-France 1" and "2"); count each year once.
  std::set<DyadYear> dyad_years;
  for (const auto& rivalry : rivalries) {
    for (int year = std::max(first_year, rivalry.first_year); year <= std::min(last_year, rivalry.last_year);
         ++year) {
      dyad_years.insert(DyadYear{rivalry.cow_low, rivalry.cow_high, year});
    }
  }
  BaseRate rate;
  rate.window_first_year = first_year;
  rate.window_last_year = last_year;
  std::set<std::pair<int, int>> dyads;
  for (const auto& key : dyad_years) {
    dyads.emplace(key.cow_low, key.cow_high);
    ++rate.dyad_years;
    const bool onset = events.onset.contains(key);
    const bool active_before = events.active.contains(DyadYear{key.cow_low, key.cow_high, key.year - 1});
    if (onset) ++rate.onsets;
    if (!active_before) {
      ++rate.dyad_years_at_risk;
      if (onset) ++rate.onsets_at_risk;
    }
  }
  rate.rival_dyads = static_cast<int>(dyads.size());
  return rate;
}

std::vector<BaseRate> compute_base_rates(const CsvTable& tss, const CsvTable& cow_mid_dyadic,
                                         const CsvTable& cow_interstate_dyadic, const CsvTable& ucdp_acd) {
  const auto rivalries = read_rivalries(tss);
  constexpr int rivalry_last_year = 2020;  // TSS right-censors ongoing rivalries at 2020
  struct EventSpec {
    std::string event;
    std::string data_set;
    EventYears events;
    int data_first_year;
    int data_last_year;
    std::vector<int> window_starts;
    std::string definition;
  };
  std::vector<EventSpec> specs;
  specs.push_back({"mid_onset", "COW-MID v5.0 directed dyadic dispute-years (" + std::string(raw_files::cow_mid) + ")",
                   mid_events(cow_mid_dyadic), 1816, cow_mid_last_year, {1816, 1946},
                   "rival dyad-year with >= 1 militarised interstate dispute starting (disponset = 1) between the "
                   "two states; any hostility level"});
  specs.push_back({"war_onset_cow", "COW Inter-State War v4.0 dyad-years (" + std::string(raw_files::cow_inter) + ")",
                   cow_war_events(cow_interstate_dyadic), 1816, cow_war_last_year, {1816, 1946},
                   "rival dyad-year in which a COW inter-state war (>= 1000 battle deaths) between the two "
                   "states starts (cowinteronset = 1)"});
  specs.push_back({"armed_conflict_onset_ucdp", "UCDP/PRIO ACD v24.1 (" + std::string(raw_files::ucdp_acd) + ")",
                   ucdp_events(ucdp_acd, false), 1946, conflict_last_year, {1946},
                   "rival dyad-year in which the two states are on opposite sides (primary or secondary party, "
                   "any conflict type) of a UCDP armed conflict (>= 25 battle deaths) and were not the year "
                   "before"});
  specs.push_back({"war_onset_ucdp", "UCDP/PRIO ACD v24.1 (" + std::string(raw_files::ucdp_acd) + ")",
                   ucdp_events(ucdp_acd, true), 1946, conflict_last_year, {1946},
                   "as armed_conflict_onset_ucdp but only conflict-years at war intensity (intensity_level 2, "
                   ">= 1000 battle deaths)"});

  std::vector<BaseRate> rates;
  for (const int origin : {1998, 2015, 2021}) {  // 1998: the Ethiopia-Eritrea backtest
    for (const auto& spec : specs) {
      for (const int start : spec.window_starts) {
        const int last = std::min({origin - 1, spec.data_last_year, rivalry_last_year});
        auto rate = count_base_rate(rivalries, spec.events, std::max(start, spec.data_first_year), last);
        rate.origin_year = origin;
        rate.event = spec.event;
        rate.data_set = spec.data_set + "; rivalries: Thompson, Sakuwa & Suhas 2021 (" +
                        std::string(raw_files::rivalries) + ")";
        rate.definition = spec.definition;
        rates.push_back(std::move(rate));
      }
    }
  }
  return rates;
}

std::string render_base_rates(const std::vector<BaseRate>& rates) {
  std::string out =
      "origin_year,event,window_first_year,window_last_year,rival_dyads,dyad_years,onsets,p_onset_per_dyad_year,"
      "dyad_years_at_risk,onsets_at_risk,p_onset_at_risk,data_sets,definition\n";
  auto ratio = [](int num, int den) { return den > 0 ? format_fixed(static_cast<double>(num) / den, 6) : ""; };
  for (const auto& rate : rates) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", rate.origin_year, rate.event,
                       rate.window_first_year, rate.window_last_year, rate.rival_dyads, rate.dyad_years, rate.onsets,
                       ratio(rate.onsets, rate.dyad_years), rate.dyad_years_at_risk, rate.onsets_at_risk,
                       ratio(rate.onsets_at_risk, rate.dyad_years_at_risk), csv_field(rate.data_set),
                       csv_field(rate.definition));
  }
  return out;
}

}  // namespace arbiter::datasets
