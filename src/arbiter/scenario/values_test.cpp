#include "arbiter/scenario/values.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/scenario/series_csv.hpp"

namespace arbiter::scenario {
namespace {

/// Parses "v: <value_text>" and keeps the tree alive for the returned node.
struct Value {
  explicit Value(const std::string& value_text) : parsed(parse_yaml("v: " + value_text + "\n", "s.yaml")) {
    EXPECT_TRUE(parsed.root.has_value()) << diagnostics::render(parsed.diagnostics);
  }
  const YamlNode& node() const { return *parsed.root->find("v"); }
  ParsedDocument parsed;
};

constexpr FieldSpec share{.key = "share", .type = FieldType::Number, .min = 0, .max = 1, .unit = "fraction"};
constexpr FieldSpec budget{.key = "budget", .type = FieldType::Number, .min = 0, .unit = "USD bn"};
constexpr FieldSpec rate{.key = "rate", .type = FieldType::Number, .min = 0, .max = 12, .unit = "1/yr"};
constexpr FieldSpec lag{.key = "lag", .type = FieldType::Number, .min = 0, .max = 16, .unit = "quarters",
                        .uncertain_allowed = false};
constexpr FieldSpec anything{.key = "x", .type = FieldType::Number, .unit = ""};

Problems problems_of(const std::string& value_text, const FieldSpec& field) {
  Value value(value_text);
  Problems problems;
  (void)read_quantity(value.node(), field, problems);
  return problems;
}

/// Expects exactly one problem, with `code`, located where the text `at` first occurs in
/// `value_text` (which follows "v: ", three columns).
void expect_problem(const std::string& value_text, const FieldSpec& field, std::string_view code,
                    std::string_view at) {
  const Problems problems = problems_of(value_text, field);
  ASSERT_EQ(problems.size(), 1u) << value_text << ": " << diagnostics::render(problems);
  EXPECT_EQ(problems[0].code, code) << problems[0].message;
  ASSERT_NE(value_text.find(at), std::string::npos);
  const int column = 4 + static_cast<int>(value_text.find(at));
  EXPECT_EQ(problems[0].location.line, 1);
  EXPECT_EQ(problems[0].location.column, column) << value_text << ": " << problems[0].message;
}

TEST(Numbers, ParsesYamlDecimalNumbersOnly) {
  EXPECT_EQ(parse_number("0.3"), 0.3);
  EXPECT_EQ(parse_number("-2"), -2.0);
  EXPECT_EQ(parse_number("+4"), 4.0);
  EXPECT_EQ(parse_number("1e9"), 1e9);
  EXPECT_EQ(parse_number(".5"), 0.5);
  for (const char* bad : {"", "nan", ".nan", "inf", ".inf", "-.inf", "0x10", "1e999", "1,5", "3 %", "abc", "+"}) {
    EXPECT_FALSE(parse_number(bad).has_value()) << bad;
  }
}

TEST(Units, ConvertsWithinADimensionOnly) {
  EXPECT_DOUBLE_EQ(*unit_factor("percent", "fraction"), 0.01);
  EXPECT_DOUBLE_EQ(*unit_factor("fraction", "percent"), 100.0);
  EXPECT_DOUBLE_EQ(*unit_factor("USD m", "USD bn"), 1e-3);
  EXPECT_DOUBLE_EQ(*unit_factor("USD", "USD bn"), 1e-9);
  EXPECT_DOUBLE_EQ(*unit_factor("1/quarter", "1/yr"), 4.0);
  EXPECT_DOUBLE_EQ(*unit_factor("years", "quarters"), 4.0);
  EXPECT_DOUBLE_EQ(*unit_factor("quarters", "years"), 0.25);
  EXPECT_DOUBLE_EQ(*unit_factor("TIV m", "TIV m"), 1.0);
  EXPECT_FALSE(unit_factor("percent", "USD bn").has_value());
  EXPECT_FALSE(unit_factor("years", "1/yr").has_value());
  EXPECT_FALSE(unit_factor("furlongs", "years").has_value());
  EXPECT_FALSE(unit_factor("fraction", "").has_value());
}

TEST(Quarters, ParsesQuartersAndYears) {
  EXPECT_EQ(parse_quarter("1994Q2"), (QuarterDate{1994, 2}));
  EXPECT_EQ(parse_quarter("1994"), (QuarterDate{1994, 1}));
  for (const char* bad : {"1994Q5", "1994Q0", "1994q2", "94", "19940", "0994", "1994Q", "Q2 1994", "1994-Q2"}) {
    EXPECT_FALSE(parse_quarter(bad).has_value()) << bad;
  }
  EXPECT_EQ(quarter_index({1995, 1}) - quarter_index({1994, 4}), 1);
  EXPECT_EQ(quarter_index({2020, 3}) - quarter_index({1994, 2}), 26 * 4 + 1);
  EXPECT_EQ(quarter_from_index(quarter_index({2001, 3})), (QuarterDate{2001, 3}));
}

TEST(Quarters, ReadsQuotedAndUnquotedDates) {
  EXPECT_EQ(read_quarter(Value("1994Q2").node()), (QuarterDate{1994, 2}));
  EXPECT_EQ(read_quarter(Value("\"1994Q2\"").node()), (QuarterDate{1994, 2}));
  EXPECT_EQ(read_quarter(Value("2001").node()), (QuarterDate{2001, 1}));
  Problems problems;
  (void)read_quarter(Value("1994Q5").node(), problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, "scenario.quarter");
  EXPECT_EQ(problems[0].location.column, 4);
}

TEST(Quantity, PlainNumberAndQuantityWithUnitAndSource) {
  const Quantity plain = read_quantity(Value("0.3").node(), share);
  EXPECT_EQ(plain.value, 0.3);
  EXPECT_EQ(plain.distribution.kind, Distribution::Kind::Fixed);
  const Quantity converted = read_quantity(Value("{value: 30, unit: percent, source: \"SIPRI 2020\"}").node(), share);
  EXPECT_DOUBLE_EQ(converted.value, 0.3);
  EXPECT_EQ(converted.source, "SIPRI 2020");
  EXPECT_FALSE(converted.is_free);
  EXPECT_DOUBLE_EQ(read_quantity(Value("{value: 250, unit: USD m}").node(), budget).value, 0.25);
  EXPECT_DOUBLE_EQ(read_quantity(Value("{value: 0.25, unit: 1/quarter}").node(), rate).value, 1.0);
  EXPECT_DOUBLE_EQ(read_quantity(Value("{value: 2, unit: years}").node(), lag).value, 8.0);
}

TEST(Quantity, RejectsNonFiniteOutOfRangeWrongTypesAndUnits) {
  expect_problem(".nan", share, "scenario.not-finite", ".nan");
  expect_problem(".inf", anything, "scenario.not-finite", ".inf");
  expect_problem("1e999", anything, "scenario.not-finite", "1e999");
  expect_problem("1.5", share, "scenario.range", "1.5");
  expect_problem("{value: 150, unit: percent}", share, "scenario.range", "150");  // range checked after conversion
  expect_problem("\"0.3\"", share, "scenario.type", "\"");
  expect_problem("[0.3]", share, "scenario.type", "[");
  expect_problem("{value: 3, unit: years}", share, "scenario.unit", "years");
  expect_problem("{value: 3, unit: parsecs}", share, "scenario.unit", "parsecs");
  expect_problem("{value: 0.3, units: percent}", share, "scenario.unknown-key", "units");
  expect_problem("{source: x}", share, "scenario.type", "{");
  const Problems range = problems_of("1.5", share);
  EXPECT_EQ(range[0].expected, "a value in [0, 1] fraction");
  const Problems quoted = problems_of("\"0.3\"", share);
  EXPECT_EQ(quoted[0].hint, "remove the quotes: quoted values are text");
  const Problems unit = problems_of("{value: 3, unit: years}", share);
  EXPECT_NE(unit[0].message.find("'years'"), std::string::npos);
  EXPECT_NE(unit[0].message.find("'fraction'"), std::string::npos);
  const Problems typo = problems_of("{value: 0.3, units: percent}", share);
  EXPECT_EQ(typo[0].hint, "did you mean 'unit'?");
}

TEST(Quantity, Distributions) {
  const Quantity uniform = read_quantity(Value("{dist: uniform, low: 10, high: 30, unit: percent}").node(), share);
  EXPECT_EQ(uniform.distribution.kind, Distribution::Kind::Uniform);
  EXPECT_DOUBLE_EQ(uniform.distribution.a, 0.1);
  EXPECT_DOUBLE_EQ(uniform.distribution.b, 0.3);
  EXPECT_DOUBLE_EQ(uniform.value, 0.2);
  const Quantity normal = read_quantity(Value("{dist: normal, mean: 5, sd: 0.5}").node(), rate);
  EXPECT_EQ(normal.distribution.kind, Distribution::Kind::Normal);
  EXPECT_EQ(normal.distribution.clamp_low, 0.0);
  EXPECT_EQ(normal.distribution.clamp_high, 12.0);
  const Quantity lognormal = read_quantity(Value("{dist: lognormal, median: 2, sigma_log: 0.3}").node(), budget);
  EXPECT_EQ(lognormal.distribution.kind, Distribution::Kind::LogNormal);
  EXPECT_EQ(lognormal.value, 2.0);
  // Beta by moments: mean 0.4, sd 0.2 -> alpha + beta = 0.24 / 0.04 - 1 = 5.
  const Quantity beta = read_quantity(Value("{dist: beta, mean: 0.4, sd: 0.2}").node(), share);
  EXPECT_DOUBLE_EQ(beta.distribution.a, 2.0);
  EXPECT_DOUBLE_EQ(beta.distribution.b, 3.0);
  const Quantity triangular = read_quantity(Value("{dist: triangular, low: 1, mode: 2, high: 4}").node(), rate);
  EXPECT_EQ(triangular.distribution.kind, Distribution::Kind::Triangular);
  EXPECT_EQ(triangular.value, 2.0);
}

TEST(Quantity, InfeasibleDistributionsAreRejected) {
  expect_problem("{dist: beta, mean: 0.5, sd: 0.6}", share, "scenario.distribution", "0.6");  // sd >= sqrt(0.25)
  expect_problem("{dist: beta, mean: 1.2, sd: 0.1}", share, "scenario.distribution", "1.2");
  expect_problem("{dist: uniform, low: 3, high: 2}", rate, "scenario.distribution", "2}");
  expect_problem("{dist: uniform, low: 0.5, high: 2}", share, "scenario.range", "2}");
  expect_problem("{dist: normal, mean: 0.2, sd: 0.1}", share, "scenario.distribution", "0.1");  // 4 sd below 0
  expect_problem("{dist: normal, mean: 1, sd: 0}", anything, "scenario.distribution", "0}");
  expect_problem("{dist: lognormal, median: -1, sigma_log: 0.3}", anything, "scenario.distribution", "-1");
  expect_problem("{dist: triangular, low: 1, mode: 5, high: 4}", rate, "scenario.distribution", "5");
  expect_problem("{dist: gamma, shape: 2}", rate, "scenario.choice", "gamma");
  expect_problem("{dist: uniform, low: 1}", rate, "scenario.missing-key", "{");
  expect_problem("{dist: uniform, low: 1, high: 2}", lag, "scenario.type", "uniform");  // may not be uncertain
  expect_problem("{dist: uniform, low: 1, high: 2, mean: 3}", rate, "scenario.unknown-key", "mean");
}

TEST(Quantity, FreeParameters) {
  const Quantity free = read_quantity(Value("{value: 0.3, free: [0.1, 0.6], reason: \"no data\"}").node(), share);
  EXPECT_TRUE(free.is_free);
  EXPECT_EQ(free.free_low, 0.1);
  EXPECT_EQ(free.free_high, 0.6);
  EXPECT_EQ(free.reason, "no data");
  expect_problem("{value: 0.7, free: [0.1, 0.6], reason: x}", share, "scenario.free-range", "0.7");
  expect_problem("{value: 0.3, free: [0.6, 0.1], reason: x}", share, "scenario.free-range", "[");
  expect_problem("{value: 0.3, free: [0.1, 1.6], reason: x}", share, "scenario.range", "1.6");
  expect_problem("{value: 0.3, free: [0.1, 0.6]}", share, "scenario.missing-key", "{");
  expect_problem("{value: 0.3, free: 0.6, reason: x}", share, "scenario.type", "0.6");
}

TEST(Quantity, ThrowingFormCarriesEveryProblem) {
  try {
    (void)read_quantity(Value("{dist: uniform, low: .nan, high: x}").node(), share);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.diagnostics().size(), 2u);
  }
}

TEST(Draw, FixedConsumesNoRandomness) {
  rng::Stream stream({});
  EXPECT_EQ(draw({.kind = Distribution::Kind::Fixed, .a = 2.5}, stream), 2.5);
  rng::Stream fresh({});
  EXPECT_EQ(stream.next_u64(), fresh.next_u64());
}

TEST(Draw, TriangularMatchesClosedFormMoments) {
  // Mean (a + b + c) / 3, variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18.
  const Distribution d{.kind = Distribution::Kind::Triangular, .a = 1, .b = 2, .c = 6};
  rng::Stream stream({.seed = rng::MasterSeed{7}});
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw(d, stream);
    ASSERT_GE(x, 1.0);
    ASSERT_LE(x, 6.0);
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  const double variance = sum_sq / n - mean * mean;
  const double expected_variance = (1 + 4 + 36 - 2 - 6 - 12) / 18.0;
  EXPECT_NEAR(mean, 3.0, 4 * std::sqrt(expected_variance / n));
  EXPECT_NEAR(variance, expected_variance, 0.02 * expected_variance);
}

TEST(Draw, BetaFromMomentsHasTheRequestedMeanAndSd) {
  const Quantity q = read_quantity(Value("{dist: beta, mean: 0.3, sd: 0.1}").node(), share);
  rng::Stream stream({.seed = rng::MasterSeed{11}});
  const int n = 100000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw(q.distribution, stream);
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.3, 4 * 0.1 / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(sum_sq / n - mean * mean), 0.1, 0.003);
}

TEST(Draw, NormalIsClampedToTheFieldRange) {
  const Distribution d{.kind = Distribution::Kind::Normal, .a = 0.5, .b = 10, .clamp_low = 0, .clamp_high = 1};
  rng::Stream stream({});
  for (int i = 0; i < 1000; ++i) {
    const double x = draw(d, stream);
    ASSERT_GE(x, 0.0);
    ASSERT_LE(x, 1.0);
  }
}

TEST(Scalars, IntegersBooleansIdentifiers) {
  constexpr FieldSpec rounds{.key = "rounds", .type = FieldType::Integer, .min = 1, .max = 50};
  EXPECT_EQ(read_integer(Value("4").node(), rounds), 4);
  Problems problems;
  (void)read_integer(Value("4.5").node(), rounds, problems);
  (void)read_integer(Value("60").node(), rounds, problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].code, "scenario.type");
  EXPECT_EQ(problems[1].code, "scenario.range");
  EXPECT_TRUE(read_boolean(Value("true").node()));
  EXPECT_FALSE(read_boolean(Value("false").node()));
  EXPECT_THROW((void)read_boolean(Value("\"true\"").node()), InputError);
  EXPECT_THROW((void)read_boolean(Value("yes").node()), InputError);
  EXPECT_TRUE(is_identifier("south_ossetia2"));
  EXPECT_FALSE(is_identifier("South"));
  EXPECT_FALSE(is_identifier("2a"));
  EXPECT_FALSE(is_identifier("a-b"));
  EXPECT_FALSE(is_identifier(std::string(65, 'a')));
}

// ---- series ---------------------------------------------------------------------------

class SeriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("arbiter_series_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_ / "data");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name, std::ios::binary) << text; }
  std::string dir() const { return dir_.string(); }
  Problems problems_of(const std::string& value_text, const FieldSpec& field) {
    Value value(value_text);
    SeriesFiles files;
    Problems problems;
    (void)read_series(value.node(), field, dir(), files, problems);
    return problems;
  }
  std::filesystem::path dir_;
};

constexpr FieldSpec gdp{.key = "gdp", .type = FieldType::Series, .min = 0, .unit = "USD bn"};

TEST_F(SeriesTest, ConstantAndInlineSeries) {
  const Series constant = read_series(Value("2.5").node(), gdp, dir());
  EXPECT_EQ(constant.constant, 2.5);
  EXPECT_TRUE(constant.points.empty());
  const Series inline_series = read_series(Value("{1995Q3: 1400, 1994: 1200, unit: USD m, source: WDI}").node(), gdp, dir());
  ASSERT_EQ(inline_series.points.size(), 2u);
  EXPECT_EQ(inline_series.points[0].quarter_index, quarter_index({1994, 1}));
  EXPECT_TRUE(inline_series.points[0].annual);
  EXPECT_DOUBLE_EQ(inline_series.points[0].value, 1.2);
  EXPECT_EQ(inline_series.points[1].quarter_index, quarter_index({1995, 3}));
  EXPECT_FALSE(inline_series.points[1].annual);
  EXPECT_EQ(inline_series.points[1].source, "WDI");
}

TEST_F(SeriesTest, InlineSeriesProblems) {
  const Problems bad = problems_of("{1994: 1, 1994Q5: 2, 1995: -1}", gdp);
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].code, "scenario.quarter");
  EXPECT_EQ(bad[0].location.column, 14);
  EXPECT_EQ(bad[1].code, "scenario.range");
  EXPECT_EQ(bad[1].location.column, 31);
}

TEST_F(SeriesTest, CsvFileWithUnitScaleAndSources) {
  write("data/gdp.csv",
        "period,armenia,azerbaijan,source\n1994,1200,1500,WDI\n1995,1300,,WDI\n1995Q3,1400,2000,\"WDI, \"\"est\"\"\"\n");
  const Series series =
      read_series(Value("{series: data/gdp.csv, column: azerbaijan, unit: USD m, scale: 2}").node(), gdp, dir());
  ASSERT_EQ(series.points.size(), 2u);  // 1995 is empty: no data
  EXPECT_DOUBLE_EQ(series.points[0].value, 3.0);
  EXPECT_TRUE(series.points[0].annual);
  EXPECT_EQ(series.points[1].quarter_index, quarter_index({1995, 3}));
  EXPECT_DOUBLE_EQ(series.points[1].value, 4.0);
  EXPECT_EQ(series.points[1].source, "WDI, \"est\"");
}

TEST_F(SeriesTest, CsvProblemsUseTheCsvsOwnLocation) {
  write("data/gdp.csv", "period,armenia\n1994,1.2\n1995,abc\n1994,1.3\n1996,-5\n");
  const Problems problems = problems_of("{series: data/gdp.csv, column: armenia}", gdp);
  ASSERT_EQ(problems.size(), 2u) << diagnostics::render(problems);
  const std::string csv = (std::filesystem::path(dir()) / "data/gdp.csv").string();
  EXPECT_EQ(problems[0].code, "scenario.csv");
  EXPECT_EQ(problems[0].location, (diagnostics::InputLocation{csv, 3, 6}));
  EXPECT_EQ(problems[1].code, "scenario.duplicate-period");
  EXPECT_EQ(problems[1].location, (diagnostics::InputLocation{csv, 4, 1}));
  EXPECT_NE(problems[1].message.find("first on line 2"), std::string::npos);
  write("data/neg.csv", "period,armenia\n1994,1.2\n1996,-5\n");
  const Problems range = problems_of("{series: data/neg.csv, column: armenia}", gdp);
  ASSERT_EQ(range.size(), 1u);
  EXPECT_EQ(range[0].code, "scenario.range");
  EXPECT_EQ(range[0].location.line, 3);
  EXPECT_EQ(range[0].location.column, 6);
}

TEST_F(SeriesTest, UnknownColumnAndMissingFile) {
  write("data/gdp.csv", "period,armenia,azerbaijan\n1994,1,2\n");
  const Problems column = problems_of("{series: data/gdp.csv, column: armnia}", gdp);
  ASSERT_EQ(column.size(), 1u);
  EXPECT_EQ(column[0].code, "scenario.unknown-column");
  EXPECT_EQ(column[0].location, (diagnostics::InputLocation{"s.yaml", 1, 35}));  // at the column name
  EXPECT_EQ(column[0].hint, "did you mean 'armenia'?");
  const Problems missing = problems_of("{series: data/none.csv, column: x}", gdp);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].code, "scenario.missing-file");
  EXPECT_EQ(missing[0].location, (diagnostics::InputLocation{"s.yaml", 1, 13}));  // at the file name
  const Problems directory = problems_of("{series: data, column: x}", gdp);
  ASSERT_EQ(directory.size(), 1u);
  EXPECT_EQ(directory[0].code, "scenario.missing-file");
}

TEST(SeriesCsv, Rfc4180QuotingAndErrors) {
  const SeriesCsv csv = parse_series_csv("period,a,source\r\n2001Q1,1,\"line\nbreak, \"\"q\"\"\"\r\n2001Q2,,x\r\n", "d.csv");
  ASSERT_TRUE(csv.diagnostics.empty()) << diagnostics::render(csv.diagnostics);
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.rows[0].source, "line\nbreak, \"q\"");
  EXPECT_EQ(csv.rows[1].line, 4);
  EXPECT_FALSE(csv.rows[1].values[0].has_value());

  auto first_problem = [](std::string_view text) {
    const SeriesCsv parsed = parse_series_csv(text, "d.csv");
    EXPECT_FALSE(parsed.diagnostics.empty()) << text;
    return parsed.diagnostics.empty() ? diagnostics::Diagnostic{} : parsed.diagnostics[0];
  };
  auto d = first_problem("period,a\n2001,\"1\n");
  EXPECT_EQ(d.code, "scenario.csv");
  d = first_problem("year,a\n2001,1\n");
  EXPECT_EQ(d.location, (diagnostics::InputLocation{"d.csv", 1, 1}));
  d = first_problem("period,a\n2001,1,2\n");
  EXPECT_EQ(d.location, (diagnostics::InputLocation{"d.csv", 2, 1}));
  d = first_problem("period,a\n2001,1\"2\n");
  EXPECT_EQ(d.location, (diagnostics::InputLocation{"d.csv", 2, 7}));
  d = first_problem("period,a\n2001,.nan\n");
  EXPECT_EQ(d.location, (diagnostics::InputLocation{"d.csv", 2, 6}));
  d = first_problem("period,a,a\n");
  EXPECT_EQ(d.location, (diagnostics::InputLocation{"d.csv", 1, 10}));
  d = first_problem("period,a\n2001,1\n\xC3\xA9\xC3\xA9,\xFF\n");
  EXPECT_EQ(d.code, "scenario.encoding");
  EXPECT_EQ(d.location, (diagnostics::InputLocation{"d.csv", 3, 4}));
  d = first_problem("");
  EXPECT_EQ(d.code, "scenario.csv");
}

}  // namespace
}  // namespace arbiter::scenario
