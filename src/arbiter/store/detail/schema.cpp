#include "arbiter/store/detail/schema.hpp"

#include <string>

#include <fmt/format.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/store/results_file.hpp"

namespace arbiter::store::detail {
namespace {

// Every column documented in docs/results.md; change both together, and bump
// schema_version for any change an older reader would misread.
constexpr const char* schema_sql = R"sql(
CREATE TABLE manifest (
  arbiter_version TEXT NOT NULL,
  scenario_path   TEXT NOT NULL,
  scenario_sha256 TEXT NOT NULL,
  scenario_name   TEXT NOT NULL,
  seed            TEXT NOT NULL,
  runs_requested  INTEGER NOT NULL,
  runs_completed  INTEGER NOT NULL,
  threads         INTEGER NOT NULL,
  policy          TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
  started_utc     TEXT NOT NULL,
  finished_utc    TEXT,
  host            TEXT NOT NULL
);
CREATE TABLE quarters (quarter INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE actors (actor INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE series (series INTEGER PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL);
CREATE TABLE summaries (summary INTEGER PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL);
CREATE TABLE event_kinds (kind INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE series_aggregates (
  series  INTEGER NOT NULL REFERENCES series,
  quarter INTEGER NOT NULL REFERENCES quarters,
  runs INTEGER NOT NULL,
  mean REAL, sd REAL, q05 REAL, q25 REAL, q50 REAL, q75 REAL, q95 REAL,
  PRIMARY KEY (series, quarter)
) WITHOUT ROWID;
CREATE TABLE summary_aggregates (
  summary INTEGER PRIMARY KEY REFERENCES summaries,
  runs INTEGER NOT NULL,
  mean REAL, sd REAL, q05 REAL, q25 REAL, q50 REAL, q75 REAL, q95 REAL
);
CREATE TABLE events (
  run         INTEGER NOT NULL,
  sequence    INTEGER NOT NULL,
  quarter     INTEGER NOT NULL REFERENCES quarters,
  kind        INTEGER NOT NULL REFERENCES event_kinds,
  actor       INTEGER REFERENCES actors,
  other_actor INTEGER REFERENCES actors,
  value       REAL,
  PRIMARY KEY (run, sequence)
) WITHOUT ROWID;
CREATE TABLE run_summaries (
  run     INTEGER NOT NULL,
  summary INTEGER NOT NULL REFERENCES summaries,
  value   REAL NOT NULL,
  PRIMARY KEY (run, summary)
) WITHOUT ROWID;
)sql";

[[noreturn]] void reject(const std::filesystem::path& file, std::string message, std::string hint,
                         std::string code) {
  throw InputError({diagnostics::Diagnostic{.severity = diagnostics::Diagnostic::Severity::Error,
                                            .location = {.file = file.string(), .line = 0, .column = 0},
                                            .message = std::move(message),
                                            .expected = {},
                                            .hint = std::move(hint),
                                            .code = std::move(code)}});
}

}  // namespace

void create_schema(Database& database) {
  database.execute(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};", application_id,
                               schema_version));
  database.execute(schema_sql);
}

std::unique_ptr<Database> open_results_file(const std::filesystem::path& file) {
  const std::string not_results = "not an arbiter results file";
  const std::string results_hint = "give a file written by `arbiter run --out FILE`";
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    reject(file, std::filesystem::exists(file, error) ? "not a regular file" : "no such file", results_hint,
           "store.not-found");
  }
  std::unique_ptr<Database> database;
  std::int64_t application = 0;
  std::int64_t version = 0;
  try {
    database = std::make_unique<Database>(file, Database::Mode::read_only);
    Statement application_query = database->prepare("PRAGMA application_id");
    if (application_query.step()) application = application_query.integer(0);
    Statement version_query = database->prepare("PRAGMA user_version");
    if (version_query.step()) version = version_query.integer(0);
  } catch (const SqliteError& sqlite_error) {
    // SQLite says "file is not a database" for any other kind of file.
    reject(file, fmt::format("{} ({})", not_results, sqlite_error.what()), results_hint, "store.not-results-file");
  }
  if (application != application_id || version < 1) {
    reject(file, not_results + " (a SQLite database of something else)", results_hint, "store.not-results-file");
  }
  if (version > schema_version) {
    reject(file,
           fmt::format("written with results schema {}, newer than this arbiter reads (schema {})", version,
                       schema_version),
           "use the arbiter version that wrote it, or a newer one", "store.newer-schema");
  }
  return database;
}

}  // namespace arbiter::store::detail
