#include "arbiter/datasets/extract.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <string_view>

#include "arbiter/datasets/base_rates.hpp"
#include "arbiter/datasets/catalog.hpp"
#include "arbiter/datasets/csv.hpp"
#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {
namespace {

using RowFilter = std::function<bool(const CsvTable&, const CsvRecord&)>;

void write_text(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + path.generic_string());
}

ExtractedFile filter_file(const std::filesystem::path& shared_dir, const std::filesystem::path& raw_dir,
                          std::string_view file, const RowFilter& keep) {
  const auto table = read_csv(shared_dir / file);
  std::string text(table.raw_header());
  const std::string_view line_break = text.ends_with("\r\n") ? "\r\n" : "\n";
  ExtractedFile report{.file = std::string(file), .rows_read = table.rows.size(), .rows_kept = 0};
  for (const auto& row : table.rows) {
    if (!keep(table, row)) continue;
    text += table.raw(row);
    if (!text.ends_with('\n')) text += line_break;  // the source's last line may lack a break
    ++report.rows_kept;
  }
  write_text(raw_dir / file, text);
  return report;
}

RowFilter column_in(std::string column, std::set<std::string> values) {
  return [column = std::move(column), values = std::move(values)](const CsvTable& table, const CsvRecord& row) {
    return values.contains(row.fields[table.column(column)]);
  };
}

}  // namespace

std::vector<ExtractedFile> extract_raw(const std::filesystem::path& shared_dir,
                                       const std::filesystem::path& raw_dir) {
  std::set<std::string> wdi_codes;
  std::set<std::string> milex_names;
  std::set<int> cow_codes;
  for (const auto& a : actors()) {
    wdi_codes.emplace(a.wdi_code);
    milex_names.emplace(a.sipri_milex_name);
    cow_codes.insert(a.cow_code);
  }
  std::set<std::string> arms_recipients;
  std::set<int> case_states;
  std::set<long> case_ucdp_conflicts;
  std::set<std::pair<int, int>> dyads;  // rival pairs and case pairs, (low, high)
  for (const auto& c : conflict_cases()) {
    for (auto r : c.arms_recipients) arms_recipients.emplace(r);
    case_states.insert({c.cow_a, c.cow_b});
    case_ucdp_conflicts.insert(c.ucdp_conflict_ids.begin(), c.ucdp_conflict_ids.end());
    dyads.emplace(std::min(c.cow_a, c.cow_b), std::max(c.cow_a, c.cow_b));
  }
  for (const auto& rivalry : read_rivalries(read_csv(shared_dir / raw_files::rivalries))) {
    dyads.emplace(rivalry.cow_low, rivalry.cow_high);
  }
  auto dyad_listed = [&dyads](const CsvTable& table, const CsvRecord& row) {
    const auto a = static_cast<int>(integer(table, row, table.column("ccode1")));
    const auto b = static_cast<int>(integer(table, row, table.column("ccode2")));
    return dyads.contains({std::min(a, b), std::max(a, b)});
  };
  auto all_rows = [](const CsvTable&, const CsvRecord&) { return true; };

  std::vector<ExtractedFile> files;
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::wdi_gdp, column_in("Country Code", wdi_codes)));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::wdi_oil, column_in("Country Code", wdi_codes)));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::milex_constant, column_in("country", milex_names)));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::milex_share, column_in("country", milex_names)));
  files.push_back(
      filter_file(shared_dir, raw_dir, raw_files::arms_register, column_in("Recipient", arms_recipients)));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::nmc, [&](const CsvTable& t, const CsvRecord& row) {
    return cow_codes.contains(static_cast<int>(integer(t, row, t.column("ccode")))) &&
           integer(t, row, t.column("year")) >= nmc_first_year_kept;
  }));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::cow_inter, dyad_listed));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::cow_intra, [&](const CsvTable& t, const CsvRecord& row) {
    // ccodeb is blank on some rows (non-state side B): compare the text, not a number.
    auto is_case_state = [&](std::string_view column) {
      return std::any_of(case_states.begin(), case_states.end(),
                         [&](int code) { return row.fields[t.column(column)] == std::to_string(code); });
    };
    return is_case_state("ccodea") || is_case_state("ccodeb");
  }));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::cow_mid, dyad_listed));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::rivalries, all_rows));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::ucdp_acd, [&](const CsvTable& t, const CsvRecord& row) {
    if (case_ucdp_conflicts.contains(integer(t, row, t.column("conflict_id")))) return true;
    for (const auto& key : ucdp_opposed_dyads(t, row)) {
      if (dyads.contains({key.cow_low, key.cow_high})) return true;
    }
    return false;
  }));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::ucdp_brd, [&](const CsvTable& t, const CsvRecord& row) {
    return case_ucdp_conflicts.contains(integer(t, row, t.column("conflict_id")));
  }));
  files.push_back(filter_file(shared_dir, raw_dir, raw_files::facts, all_rows));
  return files;
}

}  // namespace arbiter::datasets
