// Scholz, Calbert & Smith (2011) Table 2: the EC vehicle-emission case of BDM (1994).
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "arbiter/negotiation/bargaining.hpp"

namespace arbiter::negotiation {
namespace {

const std::string data_dir = std::string(ARBITER_SOURCE_DIR) + "/tests/data/negotiation/bdm1994-emissions/";

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') quoted = !quoted;
    else if (ch == ',' && !quoted) { fields.push_back(field); field.clear(); }
    else field += ch;
  }
  fields.push_back(field);
  return fields;
}

std::vector<NegotiationActor> emission_actors() {
  std::ifstream in(data_dir + "actors.csv");
  std::string line;
  std::getline(in, line);  // header: actor,capability,position,salience (salience 0..100)
  std::vector<NegotiationActor> actors;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto f = split(line);
    actors.push_back({f[0], std::stod(f[1]), std::stod(f[2]), std::stod(f[3]) / 100.0, {}});
  }
  return actors;
}

struct Published {
  std::vector<double> median, mean;
};

Published published() {
  std::ifstream in(data_dir + "expected_published.csv");
  std::string line;
  std::getline(in, line);
  Published table{std::vector<double>(8), std::vector<double>(8)};
  while (std::getline(in, line)) {
    const auto f = split(line);
    if (f.size() < 4 || f[0] != "Scholz2011_Table2") continue;
    auto& column = f[1] == "median_voter_position" ? table.median : table.mean;
    column.at(std::stoul(f[2]) - 1) = std::stod(f[3]);
  }
  return table;
}

// The table prints one decimal; some entries look truncated and some rounded, so a value
// agrees when either way of cutting it to one decimal gives the printed number.
bool agrees_to_printed_digit(double measured, double printed) {
  const double truncated = std::floor(measured * 10.0 + 1e-9) / 10.0;
  const double rounded = std::round(measured * 10.0) / 10.0;
  return std::abs(truncated - printed) < 1e-9 || std::abs(rounded - printed) < 1e-9;
}

TEST(EmissionCase, InputsAndBaselines) {
  const auto actors = emission_actors();
  ASSERT_EQ(actors.size(), 10U);
  const auto result = negotiate(actors, NegotiationOptions{.rounds = 0});
  EXPECT_DOUBLE_EQ(result.weighted_median_baseline, 7.0);
  EXPECT_NEAR(result.weighted_mean_baseline, 500.3 / 67.7, 1e-12);
}

TEST(EmissionCase, ScholzTable2EveryRound) {
  const auto actors = emission_actors();
  const auto table = published();
  const auto result = negotiate(actors, scholz_code_options());
  ASSERT_EQ(result.rounds.size(), 8U);
  for (std::size_t k = 0; k < 8; ++k) {
    const auto& round = result.rounds[k];
    EXPECT_TRUE(agrees_to_printed_digit(round.mean, table.mean[k]))
        << "round " << k + 1 << " mean " << round.mean << " vs " << table.mean[k];
    if (k == 1) {
      // Explicit expected deviation (docs/negotiation.md): no documented variant prints 9.9
      // here. We get Belgium's compromise at 9.611, as does the jmckib replication (9.61).
      EXPECT_NEAR(round.median, 9.6109, 5e-4);
      EXPECT_NEAR(round.median - table.median[k], -0.289, 0.001);
      continue;
    }
    EXPECT_TRUE(agrees_to_printed_digit(round.median, table.median[k]))
        << "round " << k + 1 << " median " << round.median << " vs " << table.median[k];
  }
}

// How well a run matches Table 2: entries agreeing to the printed digit (more is better),
// then the largest absolute deviation (less is better).
struct Fit {
  int agreeing = 0;
  double worst = 0.0;
  [[nodiscard]] bool at_least_as_good_as(const Fit& other) const {
    return agreeing > other.agreeing || (agreeing == other.agreeing && worst <= other.worst + 1e-12);
  }
};

Fit fit(const NegotiationResult& result, const Published& table) {
  Fit f;
  for (std::size_t k = 0; k < 8 && k < result.rounds.size(); ++k) {
    f.agreeing += int(agrees_to_printed_digit(result.rounds[k].median, table.median[k])) +
                  int(agrees_to_printed_digit(result.rounds[k].mean, table.mean[k]));
    f.worst = std::max({f.worst, std::abs(result.rounds[k].median - table.median[k]),
                        std::abs(result.rounds[k].mean - table.mean[k])});
  }
  return f;
}

TEST(EmissionCase, ScholzPresetIsTheBestDocumentedVariant) {
  using O = NegotiationOptions;
  const auto actors = emission_actors();
  const auto table = published();
  const Fit preset = fit(negotiate(actors, scholz_code_options()), table);
  EXPECT_EQ(preset.agreeing, 15);  // of 16 printed numbers; the round-2 median is the residual
  EXPECT_NEAR(preset.worst, 0.289, 0.001);
  int variants = 0;
  for (auto probability : {O::Probability::PairwiseVotes, O::Probability::NetVotes, O::Probability::ScholzAllPairs})
    for (auto selection : {O::OfferSelection::SmallestMove, O::OfferSelection::LargestSenderUtility,
                           O::OfferSelection::TypePriority})
      for (bool voter_risk : {false, true})
        for (bool capitulation : {false, true}) {
          const O options{.probability = probability, .selection = selection,
                          .voter_risk_in_probability = voter_risk, .allow_capitulation = capitulation};
          const Fit variant = fit(negotiate(actors, options), table);
          EXPECT_TRUE(preset.at_least_as_good_as(variant))
              << variant.agreeing << " agreeing, worst " << variant.worst << " for " << int(probability) << " " << int(selection) << " " << voter_risk << " " << capitulation;
          ++variants;
        }
  EXPECT_EQ(variants, 36);
}

}  // namespace
}  // namespace arbiter::negotiation
