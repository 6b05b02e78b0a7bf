#include "arbiter/store/detail/sqlite.hpp"

#include <cmath>

#include <fmt/format.h>
#include <fmt/std.h>

namespace arbiter::store::detail {

SqliteError::SqliteError(const std::filesystem::path& file, std::string_view what, int code)
    : std::runtime_error(fmt::format("{}: {}", file.string(), what)), code_(code) {}

Database::Database(const std::filesystem::path& file, Mode mode) : file_(file) {
  const int flags = mode == Mode::create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  const int status = sqlite3_open_v2(file.c_str(), &handle_, flags, nullptr);
  if (status != SQLITE_OK) {
    const std::string reason = handle_ != nullptr ? sqlite3_errmsg(handle_) : sqlite3_errstr(status);
    sqlite3_close(handle_);
    handle_ = nullptr;
    throw SqliteError(file_, reason, status);
  }
  sqlite3_extended_result_codes(handle_, 0);
}

Database::~Database() { sqlite3_close_v2(handle_); }

void Database::close() {
  if (handle_ == nullptr) return;
  const int status = sqlite3_close(handle_);
  if (status != SQLITE_OK) throw SqliteError(file_, sqlite3_errmsg(handle_), status);
  handle_ = nullptr;
}

void Database::execute(const std::string& sql) {
  char* message = nullptr;
  const int status = sqlite3_exec(handle_, sql.c_str(), nullptr, nullptr, &message);
  if (status != SQLITE_OK) {
    const std::string reason = message != nullptr ? message : sqlite3_errstr(status);
    sqlite3_free(message);
    throw SqliteError(file_, reason, status);
  }
}

Statement Database::prepare(const std::string& sql) { return Statement(*this, sql); }

Statement::Statement(Database& database, const std::string& sql) : database_(&database) {
  const int status = sqlite3_prepare_v2(database.handle(), sql.c_str(), -1, &statement_, nullptr);
  if (status != SQLITE_OK) throw SqliteError(database.file(), sqlite3_errmsg(database.handle()), status);
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (std::isnan(value)) return bind_null(index);
  sqlite3_bind_double(statement_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

bool Statement::step() {
  const int status = sqlite3_step(statement_);
  if (status == SQLITE_ROW) return true;
  if (status == SQLITE_DONE) return false;
  const std::string reason = sqlite3_errmsg(database_->handle());
  sqlite3_reset(statement_);
  throw SqliteError(database_->file(), reason, status);
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(statement_, column); }
double Statement::real(int column) const { return sqlite3_column_double(statement_, column); }
std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_, column);
  return bytes == nullptr ? std::string{} : std::string(reinterpret_cast<const char*>(bytes));
}
std::optional<double> Statement::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

}  // namespace arbiter::store::detail
