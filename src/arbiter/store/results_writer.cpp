#include "arbiter/store/results_writer.hpp"

#include <unistd.h>

#include <array>
#include <chrono>
#include <ctime>
#include <system_error>

#include <fmt/format.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/store/detail/schema.hpp"
#include "arbiter/store/detail/sqlite.hpp"

namespace arbiter::store {
namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  const std::size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text.data(), length);
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return std::string(name.data());
}

[[noreturn]] void refuse_existing(const std::filesystem::path& existing, const std::filesystem::path& output) {
  const bool partial = existing != output;
  throw InputError({diagnostics::Diagnostic{
      .severity = diagnostics::Diagnostic::Severity::Error,
      .location = {.file = existing.string(), .line = 0, .column = 0},
      .message = partial ? "a partial results file from an earlier, unfinished run is in the way"
                         : "the output file already exists",
      .expected = {},
      .hint = partial ? fmt::format("inspect it with `arbiter export {}`, or pass --force to replace it",
                                    existing.string())
                      : "choose another output file, or pass --force to overwrite it",
      .code = "store.output-exists"}});
}

void remove_partial(const std::filesystem::path& partial) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(std::filesystem::path(partial.string() + suffix));
  }
}

std::int64_t as_integer(std::uint64_t value) { return static_cast<std::int64_t>(value); }

}  // namespace

std::filesystem::path partial_path(const std::filesystem::path& file) {
  return std::filesystem::path(file.string() + ".partial");
}

struct ResultsWriter::Connection {
  explicit Connection(const std::filesystem::path& partial)
      : database(partial, detail::Database::Mode::create),
        insert_event((configure(database), database.prepare(
            "INSERT INTO events (run, sequence, quarter, kind, actor, other_actor, value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)"))),
        insert_summary(database.prepare("INSERT INTO run_summaries (run, summary, value) VALUES (?, ?, ?)")),
        update_progress(database.prepare("UPDATE manifest SET runs_completed = ?")) {}

  // Schema and pragmas come before the statements that refer to the tables.
  static detail::Database& configure(detail::Database& database) {
    // WAL: a kill leaves the main file as of the last checkpoint and the committed blocks
    // in the -wal file; NORMAL sync is crash-safe in WAL mode and much faster than FULL.
    database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    // One transaction for the whole schema: one sync instead of a few per table.
    database.execute("BEGIN");
    detail::create_schema(database);
    database.execute("COMMIT");
    return database;
  }

  detail::Database database;
  detail::Statement insert_event;
  detail::Statement insert_summary;
  detail::Statement update_progress;
  bool in_transaction = false;
  bool finished = false;
};

ResultsWriter::ResultsWriter(const std::filesystem::path& file, const Provenance& provenance,
                             const engine::OutputCatalog& catalog, bool force)
    : file_(file) {
  const std::filesystem::path partial = partial_file();
  if (!force) {
    if (std::filesystem::exists(file)) refuse_existing(file, file);
    if (std::filesystem::exists(partial)) refuse_existing(partial, file);
  }
  remove_partial(partial);
  connection_ = std::make_unique<Connection>(partial);
  detail::Database& database = connection_->database;

  database.execute("BEGIN");
  database.prepare(
              "INSERT INTO manifest (arbiter_version, scenario_path, scenario_sha256, scenario_name, seed, "
              "runs_requested, runs_completed, threads, policy, status, started_utc, finished_utc, host) "
              "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, 'running', ?, NULL, ?)")
      .bind(1, provenance.arbiter_version)
      .bind(2, provenance.scenario_path)
      .bind(3, sha256_hex(provenance.scenario_text))
      .bind(4, provenance.scenario_name)
      .bind(5, fmt::format("{}", static_cast<std::uint64_t>(provenance.seed)))
      .bind(6, as_integer(provenance.runs_requested))
      .bind(7, std::int64_t{provenance.threads})
      .bind(8, provenance.policy)
      .bind(9, utc_now())
      .bind(10, host_name())
      .run();
  const auto insert_names = [&](const char* table, const std::vector<std::string>& names) {
    detail::Statement insert = database.prepare(fmt::format("INSERT INTO {} VALUES (?, ?)", table));
    for (std::size_t i = 0; i < names.size(); ++i) insert.bind(1, as_integer(i)).bind(2, names[i]).run();
  };
  const auto insert_series = [&](const char* table, const std::vector<engine::OutputCatalog::Series>& series) {
    detail::Statement insert = database.prepare(fmt::format("INSERT INTO {} VALUES (?, ?, ?)", table));
    for (std::size_t i = 0; i < series.size(); ++i) {
      insert.bind(1, as_integer(i)).bind(2, series[i].name).bind(3, series[i].unit).run();
    }
  };
  insert_names("quarters", catalog.quarter_labels);
  insert_names("actors", catalog.actors);
  insert_series("series", catalog.series);
  insert_series("summaries", catalog.summaries);
  insert_names("event_kinds", catalog.event_kinds);
  database.execute("COMMIT");
}

ResultsWriter::~ResultsWriter() {
  if (!connection_ || connection_->finished) return;
  // Like a crash: the block in flight is rolled back, the committed ones stay.
  if (connection_->in_transaction) sqlite3_exec(connection_->database.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

std::filesystem::path ResultsWriter::partial_file() const { return partial_path(file_); }

void ResultsWriter::accept(const engine::RunResult& result) {
  Connection& connection = *connection_;
  if (!connection.in_transaction) {
    connection.database.execute("BEGIN");
    connection.in_transaction = true;
  }
  const std::int64_t run = as_integer(result.run_index);
  for (std::size_t i = 0; i < result.events.size(); ++i) {
    const engine::Event& event = result.events[i];
    detail::Statement& insert = connection.insert_event;
    insert.bind(1, run).bind(2, as_integer(i)).bind(3, std::int64_t{event.quarter}).bind(4, std::int64_t{event.kind});
    if (event.actor < 0) {
      insert.bind_null(5);
    } else {
      insert.bind(5, std::int64_t{event.actor});
    }
    if (event.other_actor < 0) {
      insert.bind_null(6);
    } else {
      insert.bind(6, std::int64_t{event.other_actor});
    }
    insert.bind(7, event.value).run();
  }
  for (std::size_t i = 0; i < result.summaries.size(); ++i) {
    connection.insert_summary.bind(1, run).bind(2, as_integer(i)).bind(3, result.summaries[i]).run();
  }
}

void ResultsWriter::block_finished(std::uint64_t runs_accepted) {
  Connection& connection = *connection_;
  if (!connection.in_transaction) {
    connection.database.execute("BEGIN");
    connection.in_transaction = true;
  }
  connection.update_progress.bind(1, as_integer(runs_accepted)).run();
  connection.database.execute("COMMIT");
  connection.in_transaction = false;
  runs_committed_ = runs_accepted;
}

void ResultsWriter::finish(const ensemble::Aggregates& aggregates, std::uint64_t runs_completed, RunStatus status) {
  check_invariant(status != RunStatus::running, "a finished results file has a final status");
  check_invariant(!connection_->finished, "a results file is finished once");
  Connection& connection = *connection_;
  detail::Database& database = connection.database;
  // Runs accepted after the last block_finished() belong to no complete block: drop them,
  // so the file holds exactly the runs that were folded into the aggregates.
  if (connection.in_transaction) database.execute("ROLLBACK");
  database.execute("BEGIN");
  connection.in_transaction = true;
  const auto bind_distribution = [](detail::Statement& insert, const ensemble::Distribution& d, int first) {
    insert.bind(first, d.mean)
        .bind(first + 1, d.standard_deviation)
        .bind(first + 2, d.q05)
        .bind(first + 3, d.q25)
        .bind(first + 4, d.q50)
        .bind(first + 5, d.q75)
        .bind(first + 6, d.q95);
  };
  const std::int64_t runs = as_integer(aggregates.runs);
  detail::Statement insert_series = database.prepare(
      "INSERT INTO series_aggregates (series, quarter, runs, mean, sd, q05, q25, q50, q75, q95) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (std::size_t cell = 0; cell < aggregates.series.size(); ++cell) {
    insert_series.bind(1, as_integer(cell / aggregates.quarter_count))
        .bind(2, as_integer(cell % aggregates.quarter_count))
        .bind(3, runs);
    bind_distribution(insert_series, aggregates.series[cell], 4);
    insert_series.run();
  }
  detail::Statement insert_summary = database.prepare(
      "INSERT INTO summary_aggregates (summary, runs, mean, sd, q05, q25, q50, q75, q95) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < aggregates.summaries.size(); ++i) {
    insert_summary.bind(1, as_integer(i)).bind(2, runs);
    bind_distribution(insert_summary, aggregates.summaries[i], 3);
    insert_summary.run();
  }
  database.prepare("UPDATE manifest SET runs_completed = ?, status = ?, finished_utc = ?")
      .bind(1, as_integer(runs_completed))
      .bind(2, to_string(status))
      .bind(3, utc_now())
      .run();
  database.execute("COMMIT");
  connection.in_transaction = false;
  // Back to a rollback journal: folds the -wal file into the main file, so the finished
  // results are one self-contained file.
  database.execute("PRAGMA journal_mode = DELETE");
  connection.finished = true;
  connection_.reset();  // closes; statements are finalised first (member order)
  std::filesystem::rename(partial_file(), file_);
}

}  // namespace arbiter::store
