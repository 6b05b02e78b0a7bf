#include "arbiter/scenario/series_csv.hpp"

#include <filesystem>
#include <fstream>
#include <unordered_map>

#include <fmt/format.h>

#include "arbiter/scenario/values.hpp"
#include "arbiter/scenario/yaml_tree.hpp"

namespace arbiter::scenario {

using diagnostics::Diagnostic;

std::optional<std::size_t> SeriesCsv::column_index(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  return std::nullopt;
}

namespace {

struct Field {
  std::string text;
  int column = 1;
  bool quoted = false;
};

struct Record {
  int line = 1;
  std::vector<Field> fields;
};

/// Splits RFC 4180 text into records; columns count characters, not bytes.
class Splitter {
 public:
  Splitter(std::string_view text, const std::string& file, std::vector<Diagnostic>& problems)
      : text_(text), file_(file), problems_(problems) {}

  /// False at the end of the text or after a fatal quoting error.
  bool next(Record& record) {
    if (failed_ || pos_ >= text_.size()) return false;
    record.line = line_;
    record.fields.clear();
    while (true) {
      Field field;
      field.column = column_;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        field.quoted = true;
        advance();
        while (true) {
          if (pos_ >= text_.size()) {
            fail(field.column, "a quoted cell is not closed", "a closing `\"`");
            return false;
          }
          if (text_[pos_] == '"') {
            if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
              field.text += '"';
              advance();
              advance();
              continue;
            }
            advance();
            break;
          }
          field.text += text_[pos_];
          advance();
        }
        if (pos_ < text_.size() && !is_delimiter(text_[pos_])) {
          fail(column_, "unexpected text after a quoted cell", "`,` or the end of the line");
          return false;
        }
      } else {
        while (pos_ < text_.size() && !is_delimiter(text_[pos_])) {
          if (text_[pos_] == '"') {
            fail(column_, "a `\"` inside an unquoted cell", "the whole cell in quotes, with `\"\"` for a quote");
            return false;
          }
          field.text += text_[pos_];
          advance();
        }
      }
      record.fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return true;
      if (text_[pos_] == ',') {
        advance();
        continue;
      }
      // End of record: LF or CRLF.
      if (text_[pos_] == '\r') {
        ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      } else {
        ++pos_;
      }
      ++line_;
      column_ = 1;
      return true;
    }
  }

 private:
  static bool is_delimiter(char c) { return c == ',' || c == '\n' || c == '\r'; }

  void advance() {
    const char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }

  void fail(int column, std::string message, std::string expected) {
    failed_ = true;
    problems_.push_back(error_at({file_, line_, column}, "scenario.csv", std::move(message), std::move(expected)));
  }

  std::string_view text_;
  const std::string& file_;
  std::vector<Diagnostic>& problems_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  bool failed_ = false;
};

}  // namespace

SeriesCsv parse_series_csv(std::string_view text, const std::string& file_name) {
  SeriesCsv csv;
  csv.file = file_name;
  auto& problems = csv.diagnostics;
  auto error = [&](int line, int column, std::string message, std::string expected = {}, std::string hint = {},
                   std::string code = "scenario.csv") {
    problems.push_back(
        error_at({file_name, line, column}, std::move(code), std::move(message), std::move(expected), std::move(hint)));
  };
  constexpr std::size_t max_problems = 50;

  if (text.size() > max_series_csv_bytes) {
    error(1, 1, fmt::format("the series file is too large ({} bytes)", text.size()),
          fmt::format("at most {} bytes", max_series_csv_bytes));
    return csv;
  }
  if (auto problem = find_text_problem(text, file_name)) {
    problems.push_back(error_at(problem->where, problem->code, problem->message, "UTF-8 text"));
    return csv;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a byte-order mark says nothing in UTF-8

  Splitter splitter(text, file_name, problems);
  Record header;
  if (!splitter.next(header)) {
    if (problems.empty()) error(1, 1, "the series file is empty", "a header row starting with `period`");
    return csv;
  }
  if (header.fields.empty() || header.fields[0].text != "period") {
    error(header.line, 1, fmt::format("the first column is {}", quote_for_message(header.fields[0].text)),
          "`period`");
    return csv;
  }
  std::size_t value_count = header.fields.size() - 1;
  bool has_source = false;
  if (header.fields.size() > 1 && header.fields.back().text == "source") {
    has_source = true;
    --value_count;
  }
  std::unordered_map<std::string, int> seen_column;
  for (std::size_t i = 1; i <= value_count; ++i) {
    const Field& name = header.fields[i];
    if (name.text.empty()) {
      error(header.line, name.column, "a column has no name");
    } else if (name.text == "period" || name.text == "source") {
      error(header.line, name.column, fmt::format("column {} is out of place", quote_for_message(name.text)),
            "`period` first and `source` last");
    } else if (const auto [first, inserted] = seen_column.emplace(name.text, name.column); !inserted) {
      error(header.line, name.column,
            fmt::format("duplicate column {} (first in column {})", quote_for_message(name.text), first->second));
    }
    csv.columns.push_back(name.text);
  }
  if (value_count == 0) error(header.line, 1, "the series file has no value columns", "`period,NAME,...`");
  if (!problems.empty()) return csv;

  std::unordered_map<int, int> first_line_of_period;  // key: 2 * quarter_index + annual
  Record record;
  while (problems.size() < max_problems && splitter.next(record)) {
    if (record.fields.size() == 1 && record.fields[0].text.empty() && !record.fields[0].quoted) continue;  // blank
    if (record.fields.size() != header.fields.size()) {
      error(record.line, 1,
            fmt::format("the row has {} cells but the header has {}", record.fields.size(), header.fields.size()));
      continue;
    }
    SeriesCsvRow row;
    row.period = record.fields[0].text;
    row.line = record.line;
    const auto date = parse_quarter(row.period);
    if (!date) {
      error(record.line, record.fields[0].column, fmt::format("bad period {}", quote_for_message(row.period)),
            "a year such as 1994 or a quarter such as 1994Q2", {}, "scenario.quarter");
    } else {
      const bool annual = row.period.size() == 4;
      const int key = 2 * quarter_index(*date) + (annual ? 1 : 0);
      if (const auto [first, inserted] = first_line_of_period.emplace(key, record.line); !inserted) {
        error(record.line, record.fields[0].column,
              fmt::format("period {} appears twice (first on line {})", row.period, first->second), {}, {},
              "scenario.duplicate-period");
      }
    }
    for (std::size_t i = 1; i <= value_count; ++i) {
      const Field& cell = record.fields[i];
      row.value_columns.push_back(cell.column);
      if (cell.text.empty()) {
        row.values.emplace_back();
        continue;
      }
      const auto number = parse_number(cell.text);
      if (!number) {
        error(record.line, cell.column,
              fmt::format("the cell {} in column {} is not a finite number", quote_for_message(cell.text),
                          quote_for_message(csv.columns[i - 1])),
              "a number, or an empty cell for no data");
      }
      row.values.push_back(number);
    }
    if (has_source) row.source = record.fields.back().text;
    csv.rows.push_back(std::move(row));
  }
  if (problems.size() >= max_problems) {
    error(record.line, 1, "too many problems in the series file; stopped reading it");
  }
  return csv;
}

SeriesCsv load_series_csv(const std::string& path) {
  auto failure = [&](std::string message, std::string hint = {}) {
    SeriesCsv csv;
    csv.file = path;
    csv.diagnostics.push_back(error_at({path, 0, 0}, "scenario.missing-file", std::move(message), {}, std::move(hint)));
    return csv;
  };
  std::error_code error;
  // Only regular files: a FIFO or device could block or never end.
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    return failure(fmt::format("the series file {} does not exist", path),
                   "series files are named relative to the scenario file's directory");
  }
  if (!std::filesystem::is_regular_file(status)) return failure(fmt::format("{} is not a regular file", path));
  const auto size = std::filesystem::file_size(path, error);
  if (error) return failure(fmt::format("cannot read {}: {}", path, error.message()));
  if (size > max_series_csv_bytes) {
    return failure(fmt::format("the series file {} is too large ({} bytes, at most {})", path, size,
                               max_series_csv_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure(fmt::format("cannot open {}", path));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse_series_csv(text, path);
}

const SeriesCsv& SeriesFiles::load(const std::string& path) {
  auto found = loaded_.find(path);
  if (found == loaded_.end()) found = loaded_.emplace(path, load_series_csv(path)).first;
  return found->second;
}

}  // namespace arbiter::scenario
