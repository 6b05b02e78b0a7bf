#include "arbiter/datasets/derive.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "arbiter/datasets/base_rates.hpp"
#include "arbiter/datasets/catalog.hpp"
#include "arbiter/datasets/csv.hpp"
#include "arbiter/datasets/series.hpp"
#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {
namespace {

// How each source file is named in `source` cells: data set, release, then the file name.
constexpr std::string_view wdi_gdp_label = "World Bank WDI NY.GDP.MKTP.KD (last updated 2026-02-24)";
constexpr std::string_view wdi_oil_label = "World Bank WDI NY.GDP.PETR.RT.ZS (last updated 2023-03-01)";
constexpr std::string_view milex_label = "SIPRI milex 2025 release";
constexpr std::string_view register_label = "SIPRI trade register (data generated 12 Feb 2026)";
constexpr std::string_view nmc_label = "COW NMC v7.0";
constexpr std::string_view acd_label = "UCDP/PRIO ACD v24.1";
constexpr std::string_view brd_label = "UCDP BRD dyadic v24.1";
constexpr std::string_view cow_inter_label = "COW Inter-State War v4.0";
constexpr std::string_view cow_intra_label = "COW Intra-State War v4.1";
constexpr std::string_view cow_mid_label = "COW-MID v5.0";

std::string base_name(std::string_view file) { return std::string(file.substr(file.rfind('/') + 1)); }

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

class RawFiles {
 public:
  explicit RawFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
  [[nodiscard]] CsvTable load(std::string_view file) const {
    const auto path = dir_ / file;
    return read_csv(path, path.generic_string());
  }

 private:
  std::filesystem::path dir_;
};

/// The one row whose `column` equals `key`, or nullptr.
const CsvRecord* find_row(const CsvTable& table, std::string_view column, std::string_view key) {
  const auto index = table.column(column);
  const CsvRecord* found = nullptr;
  for (const auto& row : table.rows) {
    if (row.fields[index] != key) continue;
    if (found != nullptr) {
      throw InputError({cell_diagnostic(table, row, index, fmt::format("a second row for '{}'", key),
                                        "one row per country", "data.duplicate-row")});
    }
    found = &row;
  }
  return found;
}

/// The value in the year's column of a wide (one column per year) table.
std::optional<double> wide_value(const CsvTable& table, const CsvRecord* row, int year) {
  if (row == nullptr) return std::nullopt;
  const auto column = table.find_column(std::to_string(year));
  if (!column) return std::nullopt;
  return optional_number(table, *row, *column);
}

// ---------------------------------------------------------------- economy_<actor>.csv

struct EconomyTables {
  CsvTable gdp;
  CsvTable oil;
  CsvTable milex;
  CsvTable milex_share;
};

std::optional<std::string> economy_file(const Actor& actor, const EconomyTables& t) {
  const CsvRecord* gdp = find_row(t.gdp, "Country Code", actor.wdi_code);
  const CsvRecord* oil = find_row(t.oil, "Country Code", actor.wdi_code);
  const CsvRecord* milex = find_row(t.milex, "country", actor.sipri_milex_name);
  const CsvRecord* share = find_row(t.milex_share, "country", actor.sipri_milex_name);
  Series series{.columns = {{"gdp_usd_bn_2015", 6},
                            {"oil_rents_share_gdp", 6},
                            {"milex_usd_bn_2023", 4},
                            {"milex_share_gdp", 4}},
                .rows = {}};
  for (int year = economy_first_year; year <= economy_last_year; ++year) {
    SeriesRow row{.period = std::to_string(year), .values = {}, .source = {}};
    std::vector<std::string> sources;
    auto add = [&](std::optional<double> raw, double scale, std::string_view label, std::string_view file,
                   std::string_view key, std::string_view note) {
      row.values.push_back(raw ? std::optional<double>(*raw / scale) : std::nullopt);
      if (raw) sources.push_back(fmt::format("{} {}, row {}, col {}{}", label, base_name(file), key, year, note));
    };
    add(wide_value(t.gdp, gdp, year), 1e9, wdi_gdp_label, raw_files::wdi_gdp, actor.wdi_code, " (/1e9)");
    add(wide_value(t.oil, oil, year), 100.0, wdi_oil_label, raw_files::wdi_oil, actor.wdi_code, " (/100)");
    add(wide_value(t.milex, milex, year), 1000.0, milex_label, raw_files::milex_constant, actor.sipri_milex_name,
        " (/1000)");
    add(wide_value(t.milex_share, share, year), 100.0, milex_label, raw_files::milex_share,
        actor.sipri_milex_name, " (/100)");
    if (sources.empty()) continue;
    row.source = join(sources, "; ");
    series.rows.push_back(std::move(row));
  }
  if (series.rows.empty()) return std::nullopt;
  return render_series(series);
}

// ---------------------------------------------------------------- arms_<supplier>_<recipient>.csv

struct Deliveries {
  double tiv_m = 0.0;
  std::set<long> deal_ids;
  int rows = 0;
};

struct ArmsRegister {
  // (supplier, recipient, year) and (recipient, year)
  std::map<std::tuple<std::string, std::string, int>, Deliveries> by_pair;
  std::map<std::pair<std::string, int>, Deliveries> by_recipient;
};

ArmsRegister read_register(const CsvTable& table) {
  const auto supplier = table.column("Supplier");
  const auto recipient = table.column("Recipient");
  const auto year = table.column("Delivery year");
  const auto tiv = table.column("TIV delivery values");
  const auto id = table.column("SIPRI AT Database ID");
  ArmsRegister reg;
  for (const auto& row : table.rows) {
    const int y = static_cast<int>(integer(table, row, year));
    const double value = number(table, row, tiv);
    const long deal = integer(table, row, id);
    auto& pair = reg.by_pair[{row.fields[supplier], row.fields[recipient], y}];
    pair.tiv_m += value;
    pair.deal_ids.insert(deal);
    ++pair.rows;
    auto& total = reg.by_recipient[{row.fields[recipient], y}];
    total.tiv_m += value;
    total.deal_ids.insert(deal);
    ++total.rows;
  }
  return reg;
}

std::string ids_text(const std::set<long>& ids) {
  std::vector<std::string> parts;
  for (long id : ids) parts.push_back(std::to_string(id));
  return join(parts, " ");
}

std::string arms_pair_file(const ArmsRegister& reg, const std::string& supplier, const std::string& recipient) {
  Series series{.columns = {{"tiv_m", 2}}, .rows = {}};
  for (int year = arms_first_year; year <= arms_last_year; ++year) {
    const auto found = reg.by_pair.find({supplier, recipient, year});
    const std::string where = fmt::format("{} {}, Supplier {}, Recipient {}, Delivery year {}", register_label,
                                          base_name(raw_files::arms_register), supplier, recipient, year);
    if (found == reg.by_pair.end()) {
      series.rows.push_back({std::to_string(year), {0.0}, where + ": no row (nothing delivered)"});
    } else {
      series.rows.push_back({std::to_string(year), {found->second.tiv_m},
                             fmt::format("{}: sum of TIV delivery values over rows with SIPRI AT Database ID {}",
                                         where, ids_text(found->second.deal_ids))});
    }
  }
  return render_series(series);
}

std::string arms_total_file(const ArmsRegister& reg, const std::string& recipient) {
  Series series{.columns = {{"tiv_total_m", 2}, {"tiv_russia_m", 2}, {"tiv_non_russia_m", 2}, {"non_russia_share", 4}},
                .rows = {}};
  for (int year = arms_first_year; year <= arms_last_year; ++year) {
    const auto total = reg.by_recipient.find({recipient, year});
    const auto russia = reg.by_pair.find({"Russia", recipient, year});
    const double all = total == reg.by_recipient.end() ? 0.0 : total->second.tiv_m;
    const double from_russia = russia == reg.by_pair.end() ? 0.0 : russia->second.tiv_m;
    const int rows = total == reg.by_recipient.end() ? 0 : total->second.rows;
    const int russia_rows = russia == reg.by_pair.end() ? 0 : russia->second.rows;
    std::optional<double> share;
    if (all > 0.0) share = (all - from_russia) / all;
    series.rows.push_back(
        {std::to_string(year),
         {all, from_russia, all - from_russia, share},
         fmt::format("{} {}, Recipient {}, Delivery year {}: {} rows, {} with Supplier Russia (TIV delivery values "
                     "summed; share empty when nothing delivered)",
                     register_label, base_name(raw_files::arms_register), recipient, year, rows, russia_rows)});
  }
  return render_series(series);
}

/// The supplier->recipient pairs a case writes: its explicit list plus, when it has a window,
/// every supplier with a register row for one of its recipients in that window.
std::set<std::pair<std::string, std::string>> case_arms_pairs(const ConflictCase& c, const ArmsRegister& reg) {
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& [s, r] : c.arms_pairs) pairs.emplace(s, r);
  for (const auto& [key, deliveries] : reg.by_pair) {
    const auto& [supplier, recipient, year] = key;
    const bool ours = std::find(c.arms_recipients.begin(), c.arms_recipients.end(), recipient) !=
                      c.arms_recipients.end();
    if (ours && year >= c.supplier_window_first && year <= c.supplier_window_last && !supplier.starts_with("unknown")) {
      pairs.emplace(supplier, recipient);
    }
  }
  return pairs;
}

// ---------------------------------------------------------------- capabilities.csv

std::string capabilities_file(const ConflictCase& c, const CsvTable& nmc) {
  struct Component {
    std::string_view column;
    std::string_view suffix;
    int decimals;
  };
  static constexpr Component components[] = {
      {"cinc", "cinc", 12},        {"milex", "milex_usd_k_current", 0}, {"milper", "milper_k", 0},
      {"irst", "irst_kt", 0},      {"pec", "pec_kt_coal_eq", 0},        {"tpop", "tpop_k", 0},
      {"upop", "upop_k", 0},
  };
  const auto ccode = nmc.column("ccode");
  const auto year_column = nmc.column("year");
  std::map<std::pair<int, int>, const CsvRecord*> rows;  // (ccode, year)
  for (const auto& row : nmc.rows) {
    rows[{static_cast<int>(integer(nmc, row, ccode)), static_cast<int>(integer(nmc, row, year_column))}] = &row;
  }
  Series series;
  for (auto id : c.actors) {
    for (const auto& component : components) {
      series.columns.push_back({fmt::format("{}_{}", id, component.suffix), component.decimals});
    }
  }
  for (int year = capabilities_first_year; year <= capabilities_last_year; ++year) {
    SeriesRow out{.period = std::to_string(year), .values = {}, .source = {}};
    std::vector<std::string> codes;
    for (auto id : c.actors) {
      const int code = actor(id).cow_code;
      const auto found = rows.find({code, year});
      if (found != rows.end()) codes.push_back(std::to_string(code));
      for (const auto& component : components) {
        out.values.push_back(found == rows.end() ? std::nullopt
                                                 : optional_number(nmc, *found->second, nmc.column(component.column)));
      }
    }
    if (codes.empty()) continue;
    out.source = fmt::format("{} {}, rows ccode {}, year {}", nmc_label, base_name(raw_files::nmc), join(codes, " "), year);
    series.rows.push_back(std::move(out));
  }
  return render_series(series);
}

// ---------------------------------------------------------------- conflict.csv

struct ConflictTables {
  CsvTable acd;
  CsvTable brd;
  CsvTable inter;
  CsvTable intra;
  CsvTable mid;
};

bool listed(const std::vector<long>& ids, long id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

std::string conflict_file(const ConflictCase& c, const ConflictTables& t) {
  Series series{.columns = {{"ucdp_active", 0},
                            {"ucdp_intensity_level", 0},
                            {"ucdp_bd_best", 0},
                            {"ucdp_bd_low", 0},
                            {"ucdp_bd_high", 0},
                            {"cow_interstate_war", 0},
                            {"cow_intrastate_war", 0},
                            {"cow_mid_active", 0},
                            {"cow_mid_onset", 0},
                            {"cow_mid_max_hostility", 0}},
                .rows = {}};
  const std::string ids = [&] {
    std::vector<std::string> parts;
    for (long id : c.ucdp_conflict_ids) parts.push_back(std::to_string(id));
    return join(parts, " ");
  }();
  for (int year = conflict_first_year; year <= conflict_last_year; ++year) {
    std::vector<std::string> sources;
    // UCDP: armed conflict-years (>= 25 battle deaths) of the case's conflicts.
    int intensity = 0;
    for (const auto& row : t.acd.rows) {
      if (!listed(c.ucdp_conflict_ids, integer(t.acd, row, t.acd.column("conflict_id"))) ||
          integer(t.acd, row, t.acd.column("year")) != year) {
        continue;
      }
      intensity = std::max(intensity, static_cast<int>(integer(t.acd, row, t.acd.column("intensity_level"))));
      sources.push_back(fmt::format("{} {}, conflict_id {} year {}", acd_label, base_name(raw_files::ucdp_acd),
                                    row.fields[t.acd.column("conflict_id")], year));
    }
    if (intensity == 0) {
      sources.push_back(fmt::format("{} {}: no row for conflict_id {} in {} (fewer than 25 battle deaths)",
                                    acd_label, base_name(raw_files::ucdp_acd), ids, year));
    }
    std::optional<double> best;
    std::optional<double> low;
    std::optional<double> high;
    for (const auto& row : t.brd.rows) {
      if (!listed(c.ucdp_conflict_ids, integer(t.brd, row, t.brd.column("conflict_id"))) ||
          integer(t.brd, row, t.brd.column("year")) != year) {
        continue;
      }
      best = best.value_or(0.0) + number(t.brd, row, t.brd.column("bd_best"));
      low = low.value_or(0.0) + number(t.brd, row, t.brd.column("bd_low"));
      high = high.value_or(0.0) + number(t.brd, row, t.brd.column("bd_high"));
      sources.push_back(fmt::format("{} {}, conflict_id {} dyad_id {} year {}", brd_label,
                                    base_name(raw_files::ucdp_brd), row.fields[t.brd.column("conflict_id")],
                                    row.fields[t.brd.column("dyad_id")], year));
    }
    // COW wars end in 2007: later years are "no data", not "no war".
    std::optional<double> inter_war;
    std::optional<double> intra_war;
    if (year <= cow_war_last_year) {
      inter_war = 0.0;
      for (const auto& row : t.inter.rows) {
        // Directed rows: read the cow_a -> cow_b direction only.
        if (integer(t.inter, row, t.inter.column("ccode1")) == c.cow_a &&
            integer(t.inter, row, t.inter.column("ccode2")) == c.cow_b &&
            integer(t.inter, row, t.inter.column("year")) == year &&
            integer(t.inter, row, t.inter.column("cowinterongoing")) == 1) {
          inter_war = 1.0;
          sources.push_back(fmt::format("{} {}, warnum {} ccode1 {} ccode2 {} year {}", cow_inter_label,
                                        base_name(raw_files::cow_inter), row.fields[t.inter.column("warnum")],
                                        c.cow_a, c.cow_b, year));
        }
      }
      intra_war = 0.0;
      std::set<std::string> wars;
      for (const auto& row : t.intra.rows) {
        if (listed(c.cow_intrastate_wars, integer(t.intra, row, t.intra.column("warnum"))) &&
            integer(t.intra, row, t.intra.column("year")) == year) {
          intra_war = 1.0;
          wars.insert(row.fields[t.intra.column("warnum")]);
        }
      }
      for (const auto& war : wars) {
        sources.push_back(fmt::format("{} {}, warnum {} year {}", cow_intra_label, base_name(raw_files::cow_intra),
                                      war, year));
      }
      if (*inter_war == 0.0 && *intra_war == 0.0) {
        sources.push_back(fmt::format("COW war data v4.0/v4.1: no war row for {}-{} in {}", c.cow_a, c.cow_b, year));
      }
    }
    std::optional<double> mid_active;
    std::optional<double> mid_onset;
    std::optional<double> mid_hostility;
    if (year <= cow_mid_last_year) {
      mid_active = 0.0;
      mid_onset = 0.0;
      std::set<long> disputes;
      for (const auto& row : t.mid.rows) {
        if (integer(t.mid, row, t.mid.column("ccode1")) != c.cow_a ||
            integer(t.mid, row, t.mid.column("ccode2")) != c.cow_b ||
            integer(t.mid, row, t.mid.column("year")) != year) {
          continue;
        }
        mid_active = 1.0;
        if (integer(t.mid, row, t.mid.column("disponset")) == 1) mid_onset = 1.0;
        const double hostility = std::max(number(t.mid, row, t.mid.column("hostlev1")),
                                          number(t.mid, row, t.mid.column("hostlev2")));
        mid_hostility = std::max(mid_hostility.value_or(0.0), hostility);
        disputes.insert(integer(t.mid, row, t.mid.column("dispnum")));
      }
      if (disputes.empty()) {
        sources.push_back(fmt::format("{} {}: no dispute-year for ccode1 {} ccode2 {} in {}", cow_mid_label,
                                      base_name(raw_files::cow_mid), c.cow_a, c.cow_b, year));
      } else {
        sources.push_back(fmt::format("{} {}, dispnum {} ccode1 {} ccode2 {} year {}", cow_mid_label,
                                      base_name(raw_files::cow_mid), ids_text(disputes), c.cow_a, c.cow_b, year));
      }
    }
    series.rows.push_back({std::to_string(year),
                           {intensity > 0 ? 1.0 : 0.0, static_cast<double>(intensity), best, low, high, inter_war,
                            intra_war, mid_active, mid_onset, mid_hostility},
                           join(sources, "; ")});
  }
  return render_series(series);
}

}  // namespace

DerivedFiles build_derived(const std::filesystem::path& raw_dir) {
  const RawFiles raw(raw_dir);
  const EconomyTables economy{.gdp = raw.load(raw_files::wdi_gdp),
                              .oil = raw.load(raw_files::wdi_oil),
                              .milex = raw.load(raw_files::milex_constant),
                              .milex_share = raw.load(raw_files::milex_share)};
  const auto arms = read_register(raw.load(raw_files::arms_register));
  const auto nmc = raw.load(raw_files::nmc);
  const ConflictTables conflict{.acd = raw.load(raw_files::ucdp_acd),
                                .brd = raw.load(raw_files::ucdp_brd),
                                .inter = raw.load(raw_files::cow_inter),
                                .intra = raw.load(raw_files::cow_intra),
                                .mid = raw.load(raw_files::cow_mid)};
  DerivedFiles files;
  for (const auto& c : conflict_cases()) {
    const std::string dir = std::string(c.id) + "/data/";
    for (auto id : c.actors) {
      if (auto text = economy_file(actor(id), economy)) files[dir + "economy_" + std::string(id) + ".csv"] = *text;
    }
    for (const auto& [supplier, recipient] : case_arms_pairs(c, arms)) {
      files[dir + "arms_" + party_id(supplier) + "_" + party_id(recipient) + ".csv"] =
          arms_pair_file(arms, supplier, recipient);
    }
    for (auto recipient : c.arms_recipients) {
      files[dir + "arms_total_" + party_id(recipient) + ".csv"] = arms_total_file(arms, std::string(recipient));
    }
    files[dir + "capabilities.csv"] = capabilities_file(c, nmc);
    files[dir + "conflict.csv"] = conflict_file(c, conflict);
  }
  // The Karabakh facts are the project's own compilation: copied byte for byte.
  files["karabakh/data/facts.csv"] = raw.load(raw_files::facts).text;
  files["validation/base_rates.csv"] = render_base_rates(compute_base_rates(
      raw.load(raw_files::rivalries), conflict.mid, conflict.inter, conflict.acd));
  return files;
}

std::vector<std::filesystem::path> write_derived(const DerivedFiles& files, const std::filesystem::path& out_dir) {
  std::vector<std::filesystem::path> written;
  for (const auto& [relative, text] : files) {
    const auto path = out_dir / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) throw std::runtime_error("cannot write " + path.generic_string());
    written.push_back(path);
  }
  return written;
}

}  // namespace arbiter::datasets
