#include "arbiter/datasets/csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

diagnostics::Diagnostic make_error(const std::string& file, int line, int column, std::string message,
                                   std::string expected, std::string code) {
  return diagnostics::Diagnostic{.location = {.file = file, .line = line, .column = column},
                                 .message = std::move(message),
                                 .expected = std::move(expected),
                                 .hint = {},
                                 .code = std::move(code)};
}

// Walks the text byte by byte and keeps line and column (in UTF-8 characters) up to date.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  [[nodiscard]] bool done() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  [[nodiscard]] bool has(std::size_t ahead) const { return pos_ + ahead < text_.size(); }
  char take() {
    const char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
      ++column_;  // continuation bytes belong to the character already counted
    }
    return c;
  }
  void skip_bytes(std::size_t count) { pos_ += count; }
  [[nodiscard]] std::size_t pos() const { return pos_; }
  [[nodiscard]] int line() const { return line_; }
  [[nodiscard]] int column() const { return column_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

bool ends_field(char c) { return c == ',' || c == '\r' || c == '\n'; }

}  // namespace

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    if (header.fields[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t CsvTable::column(std::string_view name) const {
  if (auto found = find_column(name)) return *found;
  auto hint = diagnostics::nearest(std::string(name), header.fields);
  throw InputError({diagnostics::Diagnostic{
      .location = {.file = file, .line = header.line, .column = 1},
      .message = fmt::format("the header has no column '{}'", name),
      .expected = fmt::format("a column named '{}'", name),
      .hint = hint.empty() ? std::string{} : fmt::format("did you mean '{}'?", hint),
      .code = "csv.missing-column"}});
}

std::string_view CsvTable::raw_header() const {
  return std::string_view(text).substr(0, header.end);
}

std::string_view CsvTable::raw(const CsvRecord& record) const {
  return std::string_view(text).substr(record.begin, record.end - record.begin);
}

CsvTable parse_csv(std::string text, std::string file) {
  CsvTable table{.file = std::move(file), .text = std::move(text), .header = {}, .rows = {}};
  std::vector<diagnostics::Diagnostic> problems;
  Cursor cursor(table.text);
  if (std::string_view(table.text).starts_with(utf8_bom)) cursor.skip_bytes(utf8_bom.size());
  if (cursor.done()) {
    throw InputError({make_error(table.file, 1, 1, "the file is empty", "a header row", "csv.empty")});
  }

  bool have_header = false;
  bool unterminated = false;
  while (!cursor.done()) {
    CsvRecord record{.fields = {}, .columns = {}, .line = cursor.line(), .begin = cursor.pos(), .end = 0};
    while (true) {
      const int field_line = cursor.line();
      const int field_column = cursor.column();
      std::string field;
      if (cursor.peek() == '"' && !cursor.done()) {
        cursor.take();
        bool closed = false;
        while (!cursor.done()) {
          const char c = cursor.take();
          if (c == '"') {
            if (cursor.peek() == '"' && cursor.has(0)) {
              cursor.take();
              field.push_back('"');
            } else {
              closed = true;
              break;
            }
          } else {
            field.push_back(c);
          }
        }
        if (!closed) {
          problems.push_back(make_error(table.file, field_line, field_column,
                                        "quoted field is never closed", "a closing '\"'",
                                        "csv.unterminated-quote"));
          unterminated = true;  // the rest of the file is inside this field: one error is enough
          record.fields.push_back(std::move(field));
          record.columns.push_back(field_column);
          break;
        }
        if (!cursor.done() && !ends_field(cursor.peek())) {
          problems.push_back(make_error(table.file, cursor.line(), cursor.column(),
                                        "text after the closing quote of a field",
                                        "',' or the end of the line", "csv.text-after-quote"));
          while (!cursor.done() && !ends_field(cursor.peek())) field.push_back(cursor.take());
        }
      } else {
        bool reported = false;
        while (!cursor.done() && !ends_field(cursor.peek())) {
          if (cursor.peek() == '"' && !reported) {
            problems.push_back(make_error(table.file, cursor.line(), cursor.column(),
                                          "a '\"' inside a field that does not start with one",
                                          "the whole field quoted, with inner quotes doubled",
                                          "csv.quote-in-field"));
            reported = true;
          }
          field.push_back(cursor.take());
        }
      }
      record.fields.push_back(std::move(field));
      record.columns.push_back(field_column);
      if (cursor.done()) break;
      const char c = cursor.peek();
      if (c == ',') {
        cursor.take();
        continue;
      }
      if (c == '\r') {
        if (cursor.peek(1) != '\n') {
          problems.push_back(make_error(table.file, cursor.line(), cursor.column(),
                                        "a carriage return that is not followed by a line feed",
                                        "CRLF or LF line breaks", "csv.bare-cr"));
        }
        cursor.take();
        if (cursor.peek() == '\n' && !cursor.done()) cursor.take();
        break;
      }
      cursor.take();  // '\n'
      break;
    }
    record.end = cursor.pos();
    if (!have_header) {
      table.header = std::move(record);
      have_header = true;
      for (std::size_t i = 0; i < table.header.fields.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (table.header.fields[i] == table.header.fields[j] && !table.header.fields[i].empty()) {
            problems.push_back(make_error(table.file, table.header.line, table.header.columns[i],
                                          fmt::format("column '{}' appears twice in the header",
                                                      table.header.fields[i]),
                                          "unique column names", "csv.duplicate-column"));
          }
        }
      }
      continue;
    }
    if (record.fields.size() != table.header.fields.size() && !unterminated) {
      const std::size_t shown = std::min(record.fields.size(), table.header.fields.size());
      const int column = record.fields.size() > table.header.fields.size() ? record.columns[shown] : 1;
      problems.push_back(make_error(table.file, record.line, column,
                                    fmt::format("the record has {} fields but the header has {}",
                                                record.fields.size(), table.header.fields.size()),
                                    fmt::format("{} fields", table.header.fields.size()), "csv.field-count"));
    }
    table.rows.push_back(std::move(record));
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return table;
}

CsvTable read_csv(const std::filesystem::path& path, std::string display_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError({diagnostics::Diagnostic{.location = {.file = display_name, .line = 0, .column = 0},
                                              .message = "cannot open the file",
                                              .expected = "a readable CSV file",
                                              .hint = "run `arbiter data import --shared DIR` to extract it",
                                              .code = "csv.cannot-open"}});
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_csv(std::move(buffer).str(), std::move(display_name));
}

CsvTable read_csv(const std::filesystem::path& path) { return read_csv(path, path.generic_string()); }

diagnostics::Diagnostic cell_diagnostic(const CsvTable& table, const CsvRecord& record, std::size_t column,
                                        std::string message, std::string expected, std::string code) {
  const int col = column < record.columns.size() ? record.columns[column] : 1;
  // A quoted field may span lines; the record's first line is close enough and never wrong
  // for the single-line data sets we read.
  return make_error(table.file, record.line, col, std::move(message), std::move(expected), std::move(code));
}

std::optional<double> optional_number(const CsvTable& table, const CsvRecord& record, std::size_t column) {
  const std::string& cell = record.fields.at(column);
  if (cell.empty()) return std::nullopt;
  double value = 0.0;
  const char* first = cell.data();
  const char* last = cell.data() + cell.size();
  const auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc{} || end != last || !std::isfinite(value)) {
    const std::string name = column < table.header.fields.size() ? table.header.fields[column] : "?";
    throw InputError({cell_diagnostic(table, record, column,
                                      fmt::format("'{}' in column '{}' is not a number", cell, name),
                                      "a decimal number or an empty cell", "csv.not-a-number")});
  }
  return value;
}

double number(const CsvTable& table, const CsvRecord& record, std::size_t column) {
  if (auto value = optional_number(table, record, column)) return *value;
  const std::string name = column < table.header.fields.size() ? table.header.fields[column] : "?";
  throw InputError({cell_diagnostic(table, record, column, fmt::format("column '{}' is empty", name),
                                    "a number", "csv.missing-value")});
}

long integer(const CsvTable& table, const CsvRecord& record, std::size_t column) {
  const std::string& cell = record.fields.at(column);
  long value = 0;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || error != std::errc{} || end != cell.data() + cell.size()) {
    const std::string name = column < table.header.fields.size() ? table.header.fields[column] : "?";
    throw InputError({cell_diagnostic(table, record, column,
                                      fmt::format("'{}' in column '{}' is not a whole number", cell, name),
                                      "a whole number", "csv.not-an-integer")});
  }
  return value;
}

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace arbiter::datasets
