#include "arbiter/datasets/csv.hpp"

#include <gtest/gtest.h>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {
namespace {

std::vector<diagnostics::Diagnostic> errors_of(std::string text) {
  try {
    (void)parse_csv(std::move(text), "bad.csv");
  } catch (const InputError& error) {
    return error.diagnostics();
  }
  return {};
}

TEST(CsvReader, ReadsPlainAndQuotedFields) {
  const auto table = parse_csv("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n", "t.csv");
  ASSERT_EQ(table.header.fields, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(table.rows.size(), 1U);
  EXPECT_EQ(table.rows[0].fields, (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(table.rows[0].line, 2);
  EXPECT_EQ(table.rows[0].columns, (std::vector<int>{1, 3, 10}));
}

TEST(CsvReader, QuotedFieldMaySpanLinesAndLineNumbersFollow) {
  const auto table = parse_csv("a,b\r\n\"two\r\nlines\",2\r\nx,3\r\n", "t.csv");
  ASSERT_EQ(table.rows.size(), 2U);
  EXPECT_EQ(table.rows[0].fields[0], "two\r\nlines");
  EXPECT_EQ(table.rows[1].line, 4);
  EXPECT_EQ(table.raw(table.rows[1]), "x,3\r\n");
  EXPECT_EQ(table.raw_header(), "a,b\r\n");
}

TEST(CsvReader, EmptyFieldsAndMissingFinalLineBreak) {
  const auto table = parse_csv("a,b,c\n,,\n1,,3", "t.csv");
  ASSERT_EQ(table.rows.size(), 2U);
  EXPECT_EQ(table.rows[0].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(table.rows[1].fields, (std::vector<std::string>{"1", "", "3"}));
  EXPECT_EQ(table.raw(table.rows[1]), "1,,3");
}

TEST(CsvReader, SkipsByteOrderMarkButKeepsItInRawHeader) {
  const auto table = parse_csv("\xEF\xBB\xBFname,v\nx,1\n", "t.csv");
  EXPECT_EQ(table.header.fields[0], "name");
  EXPECT_EQ(table.raw_header(), "\xEF\xBB\xBFname,v\n");
}

TEST(CsvReader, ColumnsCountCharactersNotBytes) {
  const auto table = parse_csv("a,b\nT\xC3\xBCrkiye,5\n", "t.csv");
  EXPECT_EQ(table.rows[0].columns[1], 9);
}

TEST(CsvReader, ReportsEveryBadRecordWithFileLineColumn) {
  const auto errors = errors_of("a,b\n1,2,3\nx\"y,2\n\"q\"z,1\n4\n");
  ASSERT_EQ(errors.size(), 4U);
  EXPECT_EQ(errors[0].code, "csv.field-count");
  EXPECT_EQ(errors[0].location, (diagnostics::InputLocation{"bad.csv", 2, 5}));
  EXPECT_EQ(errors[1].code, "csv.quote-in-field");
  EXPECT_EQ(errors[1].location, (diagnostics::InputLocation{"bad.csv", 3, 2}));
  EXPECT_EQ(errors[2].code, "csv.text-after-quote");
  EXPECT_EQ(errors[2].location, (diagnostics::InputLocation{"bad.csv", 4, 4}));
  EXPECT_EQ(errors[3].code, "csv.field-count");
  EXPECT_EQ(errors[3].location, (diagnostics::InputLocation{"bad.csv", 5, 1}));
}

TEST(CsvReader, UnterminatedQuotePointsAtItsOpeningQuote) {
  const auto errors = errors_of("a,b\n1,\"open\n2,3\n");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].code, "csv.unterminated-quote");
  EXPECT_EQ(errors[0].location, (diagnostics::InputLocation{"bad.csv", 2, 3}));
}

TEST(CsvReader, RejectsBareCarriageReturnEmptyFileAndDuplicateColumns) {
  EXPECT_EQ(errors_of("a,b\r1,2\n").at(0).code, "csv.bare-cr");
  EXPECT_EQ(errors_of("").at(0).code, "csv.empty");
  const auto duplicate = errors_of("a,b,a\n1,2,3\n");
  ASSERT_EQ(duplicate.size(), 1U);
  EXPECT_EQ(duplicate[0].location, (diagnostics::InputLocation{"bad.csv", 1, 5}));
}

TEST(CsvReader, RenderedErrorStartsWithFileLineColumn) {
  try {
    (void)parse_csv("a\n\"x\n", "data/raw/x.csv");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("data/raw/x.csv:2:1:", 0), 0U) << error.what();
  }
}

TEST(CsvCells, NumbersAreStrict) {
  const auto table = parse_csv("v,w\n1.5,\n6.87e+08,x\n 2,1\n", "n.csv");
  EXPECT_DOUBLE_EQ(*optional_number(table, table.rows[0], 0), 1.5);
  EXPECT_FALSE(optional_number(table, table.rows[0], 1).has_value());
  EXPECT_DOUBLE_EQ(number(table, table.rows[1], 0), 6.87e8);
  try {
    (void)optional_number(table, table.rows[1], 1);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.diagnostics().at(0).location, (diagnostics::InputLocation{"n.csv", 3, 10}));
    EXPECT_EQ(error.diagnostics().at(0).code, "csv.not-a-number");
  }
  EXPECT_THROW((void)number(table, table.rows[2], 0), InputError);  // leading blank
  EXPECT_THROW((void)number(table, table.rows[0], 1), InputError);  // empty but required
  EXPECT_THROW((void)integer(table, table.rows[0], 0), InputError);  // 1.5 is not whole
}

TEST(CsvCells, MissingColumnNamesTheHeaderLine) {
  const auto table = parse_csv("country,1992\nArmenia,1\n", "m.csv");
  try {
    (void)table.column("1993");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.diagnostics().at(0).location, (diagnostics::InputLocation{"m.csv", 1, 1}));
    EXPECT_EQ(error.diagnostics().at(0).code, "csv.missing-column");
  }
}

TEST(CsvWriter, QuotesOnlyWhenNeededAndRoundTrips) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a, b"), "\"a, b\"");
  EXPECT_EQ(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
  const std::string value = "row Armenia, col 2015; \"quoted\"";
  const auto table = parse_csv("s\n" + csv_field(value) + "\n", "r.csv");
  EXPECT_EQ(table.rows[0].fields[0], value);
}

}  // namespace
}  // namespace arbiter::datasets
