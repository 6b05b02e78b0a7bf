#include "arbiter/datasets/series.hpp"

#include <gtest/gtest.h>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {
namespace {

TEST(Series, RendersFixedDecimalsEmptyCellsAndQuotedSource) {
  const Series series{.columns = {{"gdp_usd_bn_2015", 3}, {"tiv_m", 0}},
                      .rows = {{"1994", {2.5, std::nullopt}, "file a.csv, row X, col 1994"},
                               {"1995Q1", {std::nullopt, 12.6}, "b"}}};
  EXPECT_EQ(render_series(series),
            "period,gdp_usd_bn_2015,tiv_m,source\n"
            "1994,2.500,,\"file a.csv, row X, col 1994\"\n"
            "1995Q1,,13,b\n");
}

TEST(Series, FormatFixedRoundsAndNeverWritesNegativeZero) {
  EXPECT_EQ(format_fixed(1.3262, 4), "1.3262");
  EXPECT_EQ(format_fixed(0.125, 2), "0.12");  // round-half-even on the exact binary value 0.125
  EXPECT_EQ(format_fixed(-0.0001, 2), "0.00");
  EXPECT_EQ(format_fixed(-1.5, 1), "-1.5");
}

TEST(Series, RejectsUnorderedPeriodsAndRaggedRows) {
  const Series unordered{.columns = {{"x", 0}}, .rows = {{"1995", {1.0}, ""}, {"1994", {1.0}, ""}}};
  EXPECT_THROW((void)render_series(unordered), InternalError);
  const Series annual_after_quarter{.columns = {{"x", 0}}, .rows = {{"1995Q1", {1.0}, ""}, {"1995", {1.0}, ""}}};
  EXPECT_THROW((void)render_series(annual_after_quarter), InternalError);
  const Series ragged{.columns = {{"x", 0}}, .rows = {{"1995", {1.0, 2.0}, ""}}};
  EXPECT_THROW((void)render_series(ragged), InternalError);
}

}  // namespace
}  // namespace arbiter::datasets
