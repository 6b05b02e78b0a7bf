#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arbiter/negotiation/bargaining.hpp"
#include "arbiter/negotiation/monte_carlo.hpp"

// Reading negotiation actor tables from CSV or YAML (docs/negotiation.md, "Input format").
// Every problem is reported at once as an arbiter::InputError with FILE:LINE:COL.
namespace arbiter::negotiation_input {

using negotiation::UncertainValue;

/// One issue's columns: every actor's position and salience (salience already on 0..1).
struct Issue {
  std::string name;  // empty for the single issue of a plain `position`/`salience` table
  std::vector<UncertainValue> position;
  std::vector<UncertainValue> salience;
};

struct ActorTable {
  std::string file;
  std::vector<std::string> names;
  std::vector<UncertainValue> capability;
  std::vector<std::optional<UncertainValue>> risk_exponent;
  std::vector<Issue> issues;  // at least one

  [[nodiscard]] bool has_ranges() const;
  /// Index of the issue called `name`; an InputError naming the choices when there is none.
  [[nodiscard]] std::size_t issue_index(const std::string& name) const;
  /// The issue's actors with each range replaced by its midpoint.
  [[nodiscard]] std::vector<negotiation::NegotiationActor> actors(std::size_t issue) const;
  [[nodiscard]] std::vector<negotiation::UncertainActor> uncertain_actors(std::size_t issue) const;
};

/// CSV: a header row `name,capability,position,salience[,risk]` (or position_<issue>/
/// salience_<issue> pairs), one actor per row; a range is written `low..high`.
[[nodiscard]] ActorTable parse_actor_csv(std::string_view text, const std::string& file);
/// YAML: `actors:` a list of maps with the same keys; a range is `[low, high]`; for several
/// issues position and salience are maps from issue name to value.
[[nodiscard]] ActorTable parse_actor_yaml(std::string_view text, const std::string& file);
/// Reads `path` and picks the parser by extension (.yaml/.yml, otherwise CSV).
[[nodiscard]] ActorTable load_actor_table(const std::string& path);

}  // namespace arbiter::negotiation_input
