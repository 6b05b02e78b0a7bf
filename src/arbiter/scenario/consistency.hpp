#pragma once

#include <vector>

#include "arbiter/diagnostics/diagnostic.hpp"
#include "arbiter/scenario/yaml_tree.hpp"

namespace arbiter::scenario {

/// The longest simulated period a scenario may have (500 years).
inline constexpr int max_scenario_quarters = 4 * 500;

/// Rules across fields and lists that the field tables cannot express: references to
/// rivalries, alliances and missions by id, self-rivalry and self-trade, loans bound to an
/// arms relation that does not exist, negotiations with fewer than two actors, events
/// missing the keys their type needs, and the length of the simulated period. Tolerant of
/// malformed input (it skips what the checker reports), so it runs on every parsed
/// document and its problems are reported together with the checker's.
void check_consistency(const YamlNode& root, std::vector<diagnostics::Diagnostic>& problems);

}  // namespace arbiter::scenario
