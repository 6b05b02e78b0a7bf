#include "arbiter/store/export.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/store/detail/schema.hpp"
#include "arbiter/store/detail/sqlite.hpp"
#include "arbiter/store/results_file.hpp"

namespace arbiter::store {
namespace {

using detail::Statement;
using Json = nlohmann::ordered_json;

constexpr const char* distribution_columns[] = {"mean", "sd", "q05", "q25", "q50", "q75", "q95"};

// Shortest text that reads back to the same double ({fmt}'s default), so exports are
// exact and stable; NULL (no runs) is an empty field.
std::string number_field(const std::optional<double>& value) {
  return value.has_value() ? fmt::format("{}", *value) : std::string{};
}

// RFC 4180 quoting, only where needed.
std::string text_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

Json json_number(const std::optional<double>& value) { return value.has_value() ? Json(*value) : Json(nullptr); }

Json json_optional_text(const Statement& row, int column) {
  return row.is_null(column) ? Json(nullptr) : Json(row.text(column));
}

std::vector<std::pair<std::string, std::string>> manifest_fields(const Manifest& m) {
  return {{"arbiter_version", m.arbiter_version},
          {"scenario_path", m.scenario_path},
          {"scenario_sha256", m.scenario_sha256},
          {"scenario_name", m.scenario_name},
          {"seed", m.seed},
          {"runs_requested", fmt::format("{}", m.runs_requested)},
          {"runs_completed", fmt::format("{}", m.runs_completed)},
          {"threads", fmt::format("{}", m.threads)},
          {"policy", m.policy},
          {"status", m.status},
          {"started_utc", m.started_utc},
          {"finished_utc", m.finished_utc},
          {"host", m.host}};
}

std::vector<std::string> names(detail::Database& database, const char* sql) {
  std::vector<std::string> out;
  Statement query = database.prepare(sql);
  while (query.step()) out.push_back(query.text(0));
  return out;
}

const char* aggregates_sql =
    "SELECT s.name, q.label, a.runs, a.mean, a.sd, a.q05, a.q25, a.q50, a.q75, a.q95 "
    "FROM series_aggregates a JOIN series s ON s.series = a.series JOIN quarters q ON q.quarter = a.quarter "
    "ORDER BY a.series, a.quarter";
const char* summaries_sql =
    "SELECT s.name, s.unit, a.runs, a.mean, a.sd, a.q05, a.q25, a.q50, a.q75, a.q95 "
    "FROM summaries s LEFT JOIN summary_aggregates a ON a.summary = s.summary ORDER BY s.summary";
const char* events_sql =
    "SELECT e.run, e.sequence, q.label, k.name, a.name, o.name, e.value FROM events e "
    "JOIN quarters q ON q.quarter = e.quarter JOIN event_kinds k ON k.kind = e.kind "
    "LEFT JOIN actors a ON a.actor = e.actor LEFT JOIN actors o ON o.actor = e.other_actor "
    "ORDER BY e.run, e.sequence";

class CsvFile {
 public:
  CsvFile(const std::filesystem::path& path, const std::vector<std::string>& header)
      : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    if (file_ == nullptr) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
    row(header);
  }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  void row(const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) line += ',';
      line += fields[i];
    }
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) fail();
  }
  void close() {
    const int status = std::fclose(file_);
    file_ = nullptr;
    if (status != 0) fail();
  }

 private:
  [[noreturn]] void fail() const { throw std::runtime_error(fmt::format("cannot write {}", path_.string())); }
  std::filesystem::path path_;
  std::FILE* file_;
};

std::vector<std::string> with_distribution(std::vector<std::string> first) {
  for (const char* column : distribution_columns) first.emplace_back(column);
  return first;
}

void write_name_table(detail::Database& database, const std::filesystem::path& path,
                      const std::vector<std::string>& header, const char* sql, int text_columns) {
  CsvFile csv(path, header);
  Statement query = database.prepare(sql);
  while (query.step()) {
    std::vector<std::string> fields{fmt::format("{}", query.integer(0))};
    for (int column = 1; column <= text_columns; ++column) fields.push_back(text_field(query.text(column)));
    csv.row(fields);
  }
  csv.close();
}

}  // namespace

void export_csv(const std::filesystem::path& file, const std::filesystem::path& directory) {
  const Manifest manifest = read_manifest(file);
  const std::unique_ptr<detail::Database> database = detail::open_results_file(file);
  std::filesystem::create_directories(directory);

  {
    CsvFile csv(directory / "manifest.csv", {"key", "value"});
    for (const auto& [key, value] : manifest_fields(manifest)) csv.row({key, text_field(value)});
    csv.close();
  }
  write_name_table(*database, directory / "quarters.csv", {"quarter", "label"},
                   "SELECT quarter, label FROM quarters ORDER BY quarter", 1);
  write_name_table(*database, directory / "actors.csv", {"actor", "name"},
                   "SELECT actor, name FROM actors ORDER BY actor", 1);
  write_name_table(*database, directory / "series.csv", {"series", "name", "unit"},
                   "SELECT series, name, unit FROM series ORDER BY series", 2);
  write_name_table(*database, directory / "event_kinds.csv", {"kind", "name"},
                   "SELECT kind, name FROM event_kinds ORDER BY kind", 1);
  {
    CsvFile csv(directory / "aggregates.csv", with_distribution({"series", "quarter", "runs"}));
    Statement query = database->prepare(aggregates_sql);
    while (query.step()) {
      std::vector<std::string> fields{text_field(query.text(0)), text_field(query.text(1)),
                                      fmt::format("{}", query.integer(2))};
      for (int column = 3; column < 10; ++column) fields.push_back(number_field(query.optional_real(column)));
      csv.row(fields);
    }
    csv.close();
  }
  {
    CsvFile csv(directory / "summaries.csv", with_distribution({"summary", "unit", "runs"}));
    Statement query = database->prepare(summaries_sql);
    while (query.step()) {
      std::vector<std::string> fields{text_field(query.text(0)), text_field(query.text(1)),
                                      query.is_null(2) ? std::string{} : fmt::format("{}", query.integer(2))};
      for (int column = 3; column < 10; ++column) fields.push_back(number_field(query.optional_real(column)));
      csv.row(fields);
    }
    csv.close();
  }
  {
    CsvFile csv(directory / "events.csv", {"run", "sequence", "quarter", "kind", "actor", "other_actor", "value"});
    Statement query = database->prepare(events_sql);
    while (query.step()) {
      csv.row({fmt::format("{}", query.integer(0)), fmt::format("{}", query.integer(1)), text_field(query.text(2)),
               text_field(query.text(3)), query.is_null(4) ? std::string{} : text_field(query.text(4)),
               query.is_null(5) ? std::string{} : text_field(query.text(5)), number_field(query.optional_real(6))});
    }
    csv.close();
  }
  {
    // One row per run, one column per summary: the shape a spreadsheet or pandas wants.
    std::vector<std::string> header{"run"};
    for (const std::string& name : names(*database, "SELECT name FROM summaries ORDER BY summary")) {
      header.push_back(text_field(name));
    }
    CsvFile csv(directory / "runs.csv", header);
    Statement query = database->prepare("SELECT run, value FROM run_summaries ORDER BY run, summary");
    std::vector<std::string> row;
    std::int64_t current = -1;
    while (query.step()) {
      if (query.integer(0) != current) {
        if (!row.empty()) csv.row(row);
        current = query.integer(0);
        row = {fmt::format("{}", current)};
      }
      row.push_back(number_field(query.optional_real(1)));
    }
    if (!row.empty()) csv.row(row);
    csv.close();
  }
}

std::string export_json(const std::filesystem::path& file) {
  const Manifest manifest = read_manifest(file);
  const std::unique_ptr<detail::Database> database = detail::open_results_file(file);
  Json document = Json::object();
  document["schema"] = schema_version;
  Json manifest_json = Json::object();
  for (const auto& [key, value] : manifest_fields(manifest)) manifest_json[key] = value;
  manifest_json["runs_requested"] = manifest.runs_requested;
  manifest_json["runs_completed"] = manifest.runs_completed;
  manifest_json["threads"] = manifest.threads;
  if (manifest.finished_utc.empty()) manifest_json["finished_utc"] = nullptr;
  document["manifest"] = manifest_json;
  document["quarters"] = names(*database, "SELECT label FROM quarters ORDER BY quarter");
  document["actors"] = names(*database, "SELECT name FROM actors ORDER BY actor");
  document["event_kinds"] = names(*database, "SELECT name FROM event_kinds ORDER BY kind");

  // Series as arrays over quarters, the shape a fan chart is drawn from.
  Json series = Json::array();
  {
    Statement catalog = database->prepare("SELECT series, name, unit FROM series ORDER BY series");
    Statement cells = database->prepare(
        "SELECT runs, mean, sd, q05, q25, q50, q75, q95 FROM series_aggregates WHERE series = ? ORDER BY quarter");
    while (catalog.step()) {
      Json entry = Json::object();
      entry["name"] = catalog.text(1);
      entry["unit"] = catalog.text(2);
      entry["runs"] = nullptr;
      for (const char* column : distribution_columns) entry[column] = Json::array();
      cells.bind(1, catalog.integer(0));
      while (cells.step()) {
        entry["runs"] = cells.integer(0);
        for (int i = 0; i < 7; ++i) entry[distribution_columns[i]].push_back(json_number(cells.optional_real(i + 1)));
      }
      cells.reset();
      series.push_back(std::move(entry));
    }
  }
  document["series"] = std::move(series);

  Json summaries = Json::array();
  {
    Statement query = database->prepare(summaries_sql);
    while (query.step()) {
      Json entry = Json::object();
      entry["name"] = query.text(0);
      entry["unit"] = query.text(1);
      entry["runs"] = query.is_null(2) ? Json(nullptr) : Json(query.integer(2));
      for (int i = 0; i < 7; ++i) entry[distribution_columns[i]] = json_number(query.optional_real(i + 3));
      summaries.push_back(std::move(entry));
    }
  }
  document["summaries"] = std::move(summaries);

  Json events = Json::array();
  {
    Statement query = database->prepare(events_sql);
    while (query.step()) {
      Json entry = Json::object();
      entry["run"] = query.integer(0);
      entry["sequence"] = query.integer(1);
      entry["quarter"] = query.text(2);
      entry["kind"] = query.text(3);
      entry["actor"] = json_optional_text(query, 4);
      entry["other_actor"] = json_optional_text(query, 5);
      entry["value"] = json_number(query.optional_real(6));
      events.push_back(std::move(entry));
    }
  }
  document["events"] = std::move(events);

  Json runs = Json::array();
  {
    Statement query = database->prepare("SELECT run, value FROM run_summaries ORDER BY run, summary");
    Json entry;
    std::int64_t current = -1;
    while (query.step()) {
      if (query.integer(0) != current) {
        if (!entry.is_null()) runs.push_back(std::move(entry));
        current = query.integer(0);
        entry = Json::object();
        entry["run"] = current;
        entry["summaries"] = Json::array();
      }
      entry["summaries"].push_back(json_number(query.optional_real(1)));
    }
    if (!entry.is_null()) runs.push_back(std::move(entry));
  }
  document["runs"] = std::move(runs);
  return document.dump(2) + "\n";
}

}  // namespace arbiter::store
