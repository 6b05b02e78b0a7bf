// `arbiter negotiate FILE`: runs the expected-utility bargaining model on an actor table and
// prints the round-by-round trace next to the weighted mean and median baselines.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arbiter/negotiation/bargaining.hpp"
#include "arbiter/negotiation/monte_carlo.hpp"
#include "arbiter/negotiation_input/actor_table.hpp"
#include "commands.hpp"

namespace arbiter::cli {

namespace {

namespace neg = arbiter::negotiation;
using Options = neg::NegotiationOptions;

struct NegotiateArgs {
  std::string file;
  int rounds = 8;
  bool json = false;
  int draws = 0;
  std::uint64_t seed = 1;
  int threads = 1;
  std::string variant = "default";
  std::string forecast;
  std::string selection;
  std::string probability;
  std::string issue;
  double q = 1.0;
  double t = 1.0;
  double tolerance = 0.0;
};

Options build_options(const NegotiateArgs& args) {
  Options options;
  if (args.variant == "scholz") options = neg::scholz_code_options();
  else if (args.variant != "default") throw UsageError(fmt::format("--variant '{}': expected default or scholz", args.variant));
  if (args.rounds < 0 || args.rounds > 100000) throw UsageError(fmt::format("--rounds {}: expected 0..100000", args.rounds));
  options.rounds = args.rounds;
  if (!args.forecast.empty()) {
    if (args.forecast == "median") options.forecast = Options::Forecast::WeightedMedian;
    else if (args.forecast == "mean") options.forecast = Options::Forecast::WeightedMean;
    else throw UsageError(fmt::format("--forecast '{}': expected median or mean", args.forecast));
  }
  if (!args.selection.empty()) {
    if (args.selection == "smallest-move") options.selection = Options::OfferSelection::SmallestMove;
    else if (args.selection == "largest-sender-utility") options.selection = Options::OfferSelection::LargestSenderUtility;
    else if (args.selection == "type-priority") options.selection = Options::OfferSelection::TypePriority;
    else
      throw UsageError(fmt::format("--selection '{}': expected smallest-move, largest-sender-utility or type-priority",
                                   args.selection));
  }
  if (!args.probability.empty()) {
    if (args.probability == "pairwise") options.probability = Options::Probability::PairwiseVotes;
    else if (args.probability == "net") options.probability = Options::Probability::NetVotes;
    else if (args.probability == "scholz") options.probability = Options::Probability::ScholzAllPairs;
    else throw UsageError(fmt::format("--probability '{}': expected pairwise, net or scholz", args.probability));
  }
  if (!(args.q >= 0.0 && args.q <= 1.0)) throw UsageError(fmt::format("--q {}: expected 0..1", args.q));
  if (!(args.t >= 0.0 && args.t <= 1.0)) throw UsageError(fmt::format("--t {}: expected 0..1", args.t));
  if (!(args.tolerance >= 0.0)) throw UsageError(fmt::format("--tolerance {}: expected >= 0", args.tolerance));
  options.q = args.q;
  options.t = args.t;
  options.convergence_tolerance = args.tolerance;
  if (args.draws < 0) throw UsageError(fmt::format("--draws {}: expected >= 0", args.draws));
  if (args.threads < 0 || args.threads > 1024) throw UsageError(fmt::format("--threads {}: expected 0..1024", args.threads));
  return options;
}

const char* kind_name(neg::RoundTrace::PairOutcome::Kind kind) {
  switch (kind) {
    case neg::RoundTrace::PairOutcome::Confrontation: return "confrontation";
    case neg::RoundTrace::PairOutcome::Compromise: return "compromise";
    case neg::RoundTrace::PairOutcome::Capitulation: return "capitulation";
    case neg::RoundTrace::PairOutcome::None: break;
  }
  return "none";
}

nlohmann::json distribution_json(const neg::Distribution& d) {
  return {{"mean", d.mean}, {"p05", d.p05}, {"p25", d.p25}, {"p50", d.p50}, {"p75", d.p75}, {"p95", d.p95}};
}

void print_text(const negotiation_input::ActorTable& table, const std::string& issue_name,
                const neg::NegotiationResult& result, const Options& options) {
  const auto& names = table.names;
  fmt::print("{}: {} actors{}, {} rounds, forecast = weighted {}\n", table.file, names.size(),
             issue_name.empty() ? std::string() : fmt::format(", issue '{}'", issue_name), result.rounds.size(),
             options.forecast == Options::Forecast::WeightedMedian ? "median" : "mean");
  std::size_t width = 8;
  for (const auto& name : names) width = std::max(width, name.size());
  fmt::print("\n{:<6}", "round");
  for (const auto& name : names) fmt::print(" {:>{}}", name, width);
  fmt::print(" {:>10} {:>10}\n", "median", "mean");
  fmt::print("{:<6}", "0");
  const auto actors = table.actors(table.issue_index(issue_name));
  for (const auto& actor : actors) fmt::print(" {:>{}.4g}", actor.position, width);
  fmt::print(" {:>10.4f} {:>10.4f}\n", result.weighted_median_baseline, result.weighted_mean_baseline);
  for (std::size_t k = 0; k < result.rounds.size(); ++k) {
    fmt::print("{:<6}", k + 1);
    for (double x : result.rounds[k].positions) fmt::print(" {:>{}.4g}", x, width);
    fmt::print(" {:>10.4f} {:>10.4f}\n", result.rounds[k].median, result.rounds[k].mean);
  }
  for (std::size_t k = 0; k < result.rounds.size(); ++k) {
    fmt::print("\nround {} offers (receiver <- sender: kind, move, a = E^r U(r,s), b = E^r U(s,r)):\n", k + 1);
    if (result.rounds[k].outcomes.empty()) fmt::print("  none\n");
    for (const auto& o : result.rounds[k].outcomes)
      fmt::print("  {} <- {}: {}, {:+.4g}, a = {:.4f}, b = {:.4f}{}\n", names[o.to], names[o.from], kind_name(o.kind),
                 o.move, o.receiver_utility, o.sender_utility, o.accepted ? "  [accepted]" : "");
  }
  fmt::print("\n{:<34} {:>10}\n", "forecast", "value");
  fmt::print("{:<34} {:>10.4f}\n", "model (after last round)", result.final_forecast);
  fmt::print("{:<34} {:>10.4f}\n", "baseline: weighted mean (c*s)", result.weighted_mean_baseline);
  fmt::print("{:<34} {:>10.4f}\n", "baseline: weighted median (c*s)", result.weighted_median_baseline);
}

void run_negotiate(const NegotiateArgs& args) {
  const Options options = build_options(args);
  const auto table = negotiation_input::load_actor_table(args.file);
  std::string issue_name = args.issue;
  if (issue_name.empty() && table.issues.size() > 1) {
    std::string list;
    for (const auto& issue : table.issues) list += (list.empty() ? "" : ", ") + issue.name;
    throw UsageError(fmt::format("{} has {} issues ({}): choose one with --issue", args.file, table.issues.size(), list));
  }
  if (issue_name.empty()) issue_name = table.issues.front().name;
  const auto issue = table.issue_index(issue_name);
  const auto result = neg::negotiate(table.actors(issue), options);

  std::unique_ptr<neg::MonteCarloResult> monte_carlo;
  if (args.draws > 0) {
    monte_carlo = std::make_unique<neg::MonteCarloResult>(neg::negotiate_monte_carlo(
        table.uncertain_actors(issue), options, {.seed = args.seed, .draws = args.draws, .threads = args.threads}));
  }

  if (args.json) {
    nlohmann::json rounds = nlohmann::json::array();
    for (const auto& round : result.rounds) {
      nlohmann::json outcomes = nlohmann::json::array();
      for (const auto& o : round.outcomes)
        outcomes.push_back({{"from", table.names[o.from]}, {"to", table.names[o.to]}, {"kind", kind_name(o.kind)},
                            {"move", o.move}, {"receiver_utility", o.receiver_utility},
                            {"sender_utility", o.sender_utility}, {"accepted", o.accepted}});
      rounds.push_back({{"median", round.median}, {"mean", round.mean}, {"positions", round.positions},
                        {"risk_exponents", round.risk_exponents}, {"forecast_at_start", round.forecast_at_start},
                        {"outcomes", outcomes}});
    }
    nlohmann::json out{{"file", args.file},
                       {"issue", issue_name},
                       {"actors", table.names},
                       {"rounds", rounds},
                       {"final_forecast", result.final_forecast},
                       {"converged", result.converged},
                       {"baselines",
                        {{"weighted_mean", result.weighted_mean_baseline},
                         {"weighted_median", result.weighted_median_baseline}}}};
    if (monte_carlo) {
      out["monte_carlo"] = {{"draws", monte_carlo->draws},
                            {"seed", args.seed},
                            {"model", distribution_json(monte_carlo->model)},
                            {"weighted_mean", distribution_json(monte_carlo->weighted_mean_baseline)},
                            {"weighted_median", distribution_json(monte_carlo->weighted_median_baseline)}};
    }
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (table.has_ranges()) fmt::print("note: the trace below uses the midpoint of every range\n");
  print_text(table, issue_name, result, options);
  if (monte_carlo) {
    fmt::print("\nMonte Carlo, {} draws, seed {}:\n{:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", monte_carlo->draws,
               args.seed, "forecast", "mean", "p05", "p25", "p50", "p75", "p95");
    const auto row = [](const char* label, const neg::Distribution& d) {
      fmt::print("{:<34} {:>8.4f} {:>8.4f} {:>8.4f} {:>8.4f} {:>8.4f} {:>8.4f}\n", label, d.mean, d.p05, d.p25, d.p50,
                 d.p75, d.p95);
    };
    row("model (after last round)", monte_carlo->model);
    row("baseline: weighted mean (c*s)", monte_carlo->weighted_mean_baseline);
    row("baseline: weighted median (c*s)", monte_carlo->weighted_median_baseline);
  }
}

}  // namespace

void add_negotiate_command(CLI::App& app) {
  auto args = std::make_shared<NegotiateArgs>();
  auto* command = app.add_subcommand(
      "negotiate", "Run the Bueno de Mesquita expected-utility bargaining model on an actor table (CSV or YAML)");
  command->add_option("FILE", args->file, "actor table: name,capability,position,salience[,risk]")->required();
  command->add_option("--rounds", args->rounds, "number of bargaining rounds (default 8)");
  command->add_flag("--json", args->json, "print a JSON object instead of tables");
  command->add_option("--draws", args->draws, "Monte Carlo draws over the table's low..high ranges (0 = none)");
  command->add_option("--seed", args->seed, "master seed of the Monte Carlo draws")->check(seed_validator());
  command->add_option("--threads", args->threads, "threads for the draws (0 = all cores); results do not depend on it");
  command->add_option("--variant", args->variant, "default (models.md §7.2) or scholz (reproduces Scholz et al. Table 2)");
  command->add_option("--forecast", args->forecast, "median or mean");
  command->add_option("--selection", args->selection, "smallest-move, largest-sender-utility or type-priority");
  command->add_option("--probability", args->probability, "pairwise, net or scholz");
  command->add_option("--issue", args->issue, "which issue of a multi-issue table");
  command->add_option("--q", args->q, "weight of the plain status quo, 0..1 (default 1)");
  command->add_option("--t", args->t, "belief that the status quo improves, 0..1 (default 1)");
  command->add_option("--tolerance", args->tolerance, "stop once the forecast moves less than this x range (0 = never)");
  command->callback([args] { run_negotiate(*args); });
}

}  // namespace arbiter::cli
