#include "arbiter/scenario/consistency.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "arbiter/scenario/checker.hpp"
#include "arbiter/scenario/values.hpp"

// Cross-field rules the field tables cannot express: references between lists by id, and
// combinations that make no sense. They read the tree as text and skip whatever is
// malformed (the checker reports that), so they run on every parsed document and a file's
// problems are reported together, whatever stage would have found them.
namespace arbiter::scenario {

namespace {

using diagnostics::Diagnostic;

const std::vector<YamlNode>& items(const YamlNode& map, std::string_view key) {
  static const std::vector<YamlNode> none;
  const YamlNode* node = map.is_map() ? map.find(key) : nullptr;
  return node != nullptr && node->is_sequence() ? node->items : none;
}

const YamlNode* scalar(const YamlNode& map, std::string_view key) {
  const YamlNode* node = map.is_map() ? map.find(key) : nullptr;
  return node != nullptr && node->is_scalar() ? node : nullptr;
}

std::vector<std::string> ids_of(const YamlNode& root, std::string_view list) {
  std::vector<std::string> ids;
  for (const auto& element : items(root, list)) {
    if (const YamlNode* id = scalar(element, "id")) ids.push_back(id->text);
  }
  return ids;
}

class Consistency {
 public:
  Consistency(const YamlNode& root, std::vector<Diagnostic>& problems) : root_(root), problems_(problems) {}

  void run() {
    rivalries_ = ids_of(root_, "rivalries");
    alliances_ = ids_of(root_, "alliances");
    missions_ = ids_of(root_, "peacekeeping");
    check_time();
    check_rivalries();
    check_trade_and_loans();
    for (const char* list : {"mediation", "peacekeeping", "negotiations"}) {
      for (const auto& element : items(root_, list)) reference(element, "rivalry", rivalries_, "rivalry");
    }
    for (const auto& issue : items(root_, "negotiations")) {
      const auto count = items(issue, "actors").size();
      if (count < 2) {
        problems_.push_back(error_at(issue.where, "scenario.issue-actors",
                                     fmt::format("negotiation '{}' has {} actor(s)", text(issue, "id"), count),
                                     "at least two negotiating actors"));
      }
    }
    check_events();
  }

 private:
  static std::string text(const YamlNode& map, std::string_view key) {
    const YamlNode* node = scalar(map, key);
    return node != nullptr ? node->text : std::string{};
  }

  void reference(const YamlNode& element, std::string_view key, const std::vector<std::string>& known,
                 std::string_view what) {
    const YamlNode* node = scalar(element, key);
    if (node == nullptr || std::find(known.begin(), known.end(), node->text) != known.end()) return;
    std::string hint;
    if (const std::string near = diagnostics::nearest(node->text, known); !near.empty()) {
      hint = fmt::format("did you mean '{}'?", near);
    }
    std::string listed;
    for (const auto& k : known) listed += (listed.empty() ? "" : ", ") + k;
    problems_.push_back(error_at(node->where, fmt::format("scenario.unknown-{}", what),
                                 fmt::format("unknown {} '{}'", what, node->text),
                                 known.empty() ? fmt::format("{} {} declared in this file (none is)",
                                                             what.starts_with('a') ? "an" : "a", what)
                                               : fmt::format("one of: {}", listed),
                                 hint));
  }

  void check_time() {
    const YamlNode* time = root_.is_map() ? root_.find("time") : nullptr;
    if (time == nullptr || !time->is_map()) return;
    const YamlNode* start_node = scalar(*time, "start");
    const YamlNode* end_node = scalar(*time, "end");
    if (start_node == nullptr || end_node == nullptr) return;
    const auto start = parse_quarter(start_node->text);
    const auto end = parse_quarter(end_node->text);
    if (!start || !end) return;
    const int quarters = quarter_index(*end) - quarter_index(*start) + 1;
    if (quarters < 1) {
      problems_.push_back(error_at(end_node->where, "scenario.range", "time.end is before time.start",
                                   "an end quarter at or after the start"));
    } else if (quarters > max_scenario_quarters) {
      problems_.push_back(error_at(end_node->where, "scenario.range",
                                   fmt::format("the simulated period is {} quarters long", quarters),
                                   fmt::format("at most {} quarters (500 years)", max_scenario_quarters)));
    }
  }

  void check_rivalries() {
    for (const auto& rivalry : items(root_, "rivalries")) {
      const std::string challenger = text(rivalry, "challenger");
      if (challenger.empty()) continue;
      if (const YamlNode* defender = scalar(rivalry, "defender"); defender != nullptr && defender->text == challenger) {
        problems_.push_back(error_at(defender->where, "scenario.self-rivalry", "an actor cannot be its own rival",
                                     "a defender other than the challenger"));
      }
      for (const auto& partner : items(rivalry, "defender_partners")) {
        if (partner.is_scalar() && partner.text == challenger) {
          problems_.push_back(error_at(partner.where, "scenario.self-rivalry",
                                       "the challenger cannot fight on the defender's side",
                                       "partners other than the challenger"));
        }
      }
    }
  }

  void check_trade_and_loans() {
    std::set<std::pair<std::string, std::string>> trade;
    for (const auto& relation : items(root_, "arms_trade")) {
      const std::string supplier = text(relation, "supplier");
      trade.emplace(supplier, text(relation, "recipient"));
      if (const YamlNode* recipient = scalar(relation, "recipient");
          recipient != nullptr && !supplier.empty() && recipient->text == supplier) {
        problems_.push_back(error_at(recipient->where, "scenario.self-trade", "an actor cannot sell arms to itself",
                                     "a recipient other than the supplier"));
      }
    }
    for (const auto& loan : items(root_, "loans")) {
      const YamlNode* bound = scalar(loan, "purpose_bound");
      if (bound != nullptr && bound->text == "false") continue;
      const std::string lender = text(loan, "lender"), borrower = text(loan, "borrower");
      if (lender.empty() || borrower.empty() || trade.contains({lender, borrower})) continue;
      problems_.push_back(error_at(loan.where, "scenario.loan-without-trade",
                                   fmt::format("loan '{}' is bound to the lender's arms, but arms_trade has no entry "
                                               "from its lender to its borrower",
                                               text(loan, "id")),
                                   "an arms_trade entry lender->borrower, or purpose_bound: false"));
    }
  }

  void check_events() {
    for (const auto& event : items(root_, "events")) {
      const std::string type = text(event, "type");
      auto require = [&](std::string_view key) {
        if (event.find(key) != nullptr) return true;
        problems_.push_back(error_at(event.where, "scenario.missing-key",
                                     type == "set" ? std::string("event of type 'set' has no 'set' mapping")
                                                   : fmt::format("event of type '{}' needs '{}'", type, key),
                                     type == "set" ? std::string("set: {PATH: VALUE, ...}")
                                                   : fmt::format("a '{}:' key in this event", key)));
        return false;
      };
      if (type == "set") {
        require("set");
      } else if (type == "join_alliance" || type == "leave_alliance") {
        if (!require("alliance")) continue;
        reference(event, "alliance", alliances_, "alliance");
        require("actor");
      } else if (type == "ceasefire" || type == "summit") {
        if (require("rivalry")) reference(event, "rivalry", rivalries_, "rivalry");
      } else if (type == "deploy_peacekeepers" || type == "withdraw_peacekeepers") {
        if (require("mission")) reference(event, "mission", missions_, "mission");
      }
    }
  }

  const YamlNode& root_;
  std::vector<Diagnostic>& problems_;
  std::vector<std::string> rivalries_, alliances_, missions_;
};

}  // namespace

void check_consistency(const YamlNode& root, std::vector<diagnostics::Diagnostic>& problems) {
  Consistency(root, problems).run();
}

}  // namespace arbiter::scenario
