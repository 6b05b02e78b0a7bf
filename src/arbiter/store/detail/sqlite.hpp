#pragma once

// A thin RAII layer over sqlite3 for the store's own .cpp files only: <sqlite3.h> never
// leaves this module.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace arbiter::store::detail {

/// Raised for a failing SQLite call; the message names the file and SQLite's reason.
class SqliteError : public std::runtime_error {
 public:
  SqliteError(const std::filesystem::path& file, std::string_view what, int code);
  [[nodiscard]] int code() const noexcept { return code_; }

 private:
  int code_;
};

class Statement;

class Database {
 public:
  enum class Mode { create, read_only };
  Database(const std::filesystem::path& file, Mode mode);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();
  void execute(const std::string& sql);
  [[nodiscard]] Statement prepare(const std::string& sql);
  /// Closes now, reporting failure (the destructor cannot).
  void close();
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }
  [[nodiscard]] sqlite3* handle() const noexcept { return handle_; }

 private:
  std::filesystem::path file_;
  sqlite3* handle_ = nullptr;
};

class Statement {
 public:
  Statement(Database& database, const std::string& sql);
  Statement(Statement&& other) noexcept : database_(other.database_), statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);  // NaN is stored as NULL
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);
  /// Advances to the next row; false when done.
  bool step();
  /// Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] double real(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::optional<double> optional_real(int column) const;

 private:
  Database* database_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace arbiter::store::detail
