#include "arbiter/engine/engine.hpp"

#include <gtest/gtest.h>

namespace arbiter::engine {
namespace {

const std::string example = std::string(ARBITER_SOURCE_DIR) + "/examples/two_rivals.yaml";

TEST(Engine, ExampleRunsAndIsDeterministic) {
  const auto scenario = scenario::load_scenario(example);
  const Engine engine(scenario, "");
  RunResult a, b;
  engine.simulate(rng::MasterSeed{7}, 3, a);
  engine.simulate(rng::MasterSeed{7}, 3, b);
  EXPECT_EQ(a.series, b.series);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.series.size(), engine.catalog().series.size() * engine.catalog().quarter_count());
}

}  // namespace
}  // namespace arbiter::engine
