#include "arbiter/diagnostics/diagnostic.hpp"

#include <gtest/gtest.h>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::diagnostics {
namespace {

TEST(Render, NamesFileLineColumnExpectationAndCode) {
  const Diagnostic d{.location = {"s.yaml", 14, 25},
                     .message = "unknown actor 'ruritania'",
                     .expected = "one of: armenia, azerbaijan",
                     .hint = "did you mean 'armenia'?",
                     .code = "scenario.unknown-actor"};
  EXPECT_EQ(render(d),
            "s.yaml:14:25: error: unknown actor 'ruritania' (expected one of: armenia, azerbaijan) "
            "[scenario.unknown-actor]\n  hint: did you mean 'armenia'?");
}

TEST(Render, FileOnlyWhenLineUnknown) {
  EXPECT_EQ(render(Diagnostic{.location = {"x.yaml", 0, 0}, .message = "empty file"}), "x.yaml: error: empty file");
}

TEST(Nearest, SuggestsCloseKeysOnly) {
  EXPECT_EQ(nearest("actros", {"actors", "time", "policies"}), "actors");
  EXPECT_EQ(nearest("zzzzzz", {"actors", "time"}), "");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(InputError, WhatListsEveryDiagnostic) {
  const InputError error({Diagnostic{.location = {"a", 1, 2}, .message = "one"},
                          Diagnostic{.location = {"a", 3, 4}, .message = "two"}});
  EXPECT_EQ(std::string(error.what()), "a:1:2: error: one\na:3:4: error: two");
  EXPECT_TRUE(has_errors(error.diagnostics()));
}

TEST(CheckInvariant, ThrowsInternalError) {
  EXPECT_THROW(check_invariant(false, "broken"), InternalError);
  EXPECT_NO_THROW(check_invariant(true, "fine"));
}

}  // namespace
}  // namespace arbiter::diagnostics
