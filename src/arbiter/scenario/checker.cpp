#include "arbiter/scenario/checker.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "arbiter/scenario/series_csv.hpp"
#include "arbiter/scenario/values.hpp"

namespace arbiter::scenario {

using diagnostics::Diagnostic;
using diagnostics::InputLocation;

namespace {

// "did you mean" costs an edit distance per candidate: skip it where that could be slow.
constexpr std::size_t max_hint_length = 64;
constexpr std::size_t max_hint_candidates = 200;

std::string did_you_mean(const std::string& wrong, const std::vector<std::string>& candidates) {
  if (wrong.size() > max_hint_length || candidates.size() > max_hint_candidates) return {};
  const std::string near = diagnostics::nearest(wrong, candidates);
  return near.empty() ? std::string{} : fmt::format("did you mean '{}'?", near);
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string_view type_name(FieldType type) {
  switch (type) {
    case FieldType::Number: return "a number";
    case FieldType::Integer: return "a whole number";
    case FieldType::Text: return "a text";
    case FieldType::Identifier: return "an id";
    case FieldType::ActorRef: return "an actor id";
    case FieldType::ActorList: return "a list of actor ids";
    case FieldType::Quarter: return "a quarter";
    case FieldType::Choice: return "a choice";
    case FieldType::Boolean: return "true or false";
    case FieldType::Series: return "a series";
    case FieldType::ActorNumberMap: return "a mapping of actor ids to numbers";
    case FieldType::Section: return "a mapping";
    case FieldType::List: return "a list of mappings";
    case FieldType::ParameterPath: return "a parameter path";
    case FieldType::ParameterMap: return "a mapping of parameter paths to numbers";
  }
  return "a value";
}

std::string describe(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::Null: return "empty";
    case YamlNode::Kind::Sequence: return "a list";
    case YamlNode::Kind::Map: return "a mapping";
    case YamlNode::Kind::Scalar: break;
  }
  return quote_for_message(node.text);
}

const FieldSpec* find_field(const SectionSpec& section, std::string_view key) {
  for (const auto& field : section.fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::vector<std::string> field_names(const SectionSpec& section) {
  std::vector<std::string> names;
  for (const auto& field : section.fields) names.emplace_back(field.key);
  return names;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

/// Resolves parameter paths, indexing each List once so that many paths stay cheap.
class PathResolver {
 public:
  PathResolver(const YamlNode& root, const SectionSpec& spec) : root_(root), spec_(spec) {}

  PathTarget resolve(std::string_view path, const InputLocation& where, Problems& problems) {
    auto fail = [&](std::string message, std::string hint = {}) {
      problems.push_back(error_at(where, "scenario.parameter-path",
                                  fmt::format("bad parameter path {}: {}", quote_for_message(path), message),
                                  "a path such as actors.ID.military.quality or parameters.war_onset.discount",
                                  std::move(hint)));
      return PathTarget{};
    };
    if (path.size() > 1000) return fail("it is too long");
    const std::vector<std::string> segments = split(path, '.');
    const SectionSpec* section = &spec_;
    const YamlNode* node = &root_;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const std::string& segment = segments[i];
      const FieldSpec* field = find_field(*section, segment);
      if (field == nullptr) {
        return fail(fmt::format("{} has no key {}", section->name, quote_for_message(segment)),
                    did_you_mean(segment, field_names(*section)));
      }
      const YamlNode* value = node != nullptr ? node->find(segment) : nullptr;
      const bool last = i + 1 == segments.size();
      switch (field->type) {
        case FieldType::Section:
          if (last) return fail(fmt::format("'{}' is a section, not a number", segment));
          section = field->section;
          node = value;
          break;
        case FieldType::List: {
          if (last) return fail(fmt::format("'{}' is a list: name one of its elements next", segment));
          const std::string& id = segments[++i];
          const auto& elements = index(value, *field->section);
          const auto found = elements.find(id);
          if (found == elements.end()) {
            std::vector<std::string> ids;
            for (const auto& [key, element] : elements) ids.push_back(key);
            std::sort(ids.begin(), ids.end());
            return fail(fmt::format("'{}' has no element {}", segment, quote_for_message(id)), did_you_mean(id, ids));
          }
          if (i + 1 == segments.size()) return fail(fmt::format("{} names an element, not a number", id));
          section = field->section;
          node = found->second;
          break;
        }
        case FieldType::Number:
          if (!last) return fail(fmt::format("'{}' is a number and has no parts", segment));
          return PathTarget{field, value};
        default:
          return fail(fmt::format("'{}' is {}, not a number", segment, type_name(field->type)));
      }
    }
    return fail("it is empty");
  }

 private:
  const std::unordered_map<std::string, const YamlNode*>& index(const YamlNode* list, const SectionSpec& section) {
    static const std::unordered_map<std::string, const YamlNode*> none;
    if (list == nullptr || list->kind != YamlNode::Kind::Sequence) return none;
    auto [slot, inserted] = indices_.try_emplace(list);
    if (inserted) {
      for (const auto& element : list->items) {
        if (auto key = element_key(element, section); !key.empty()) slot->second.emplace(key, &element);
      }
    }
    return slot->second;
  }

  const YamlNode& root_;
  const SectionSpec& spec_;
  std::unordered_map<const YamlNode*, std::unordered_map<std::string, const YamlNode*>> indices_;
};

class Checker {
 public:
  Checker(const YamlNode& root, const SectionSpec& spec, std::string scenario_dir)
      : root_(root), spec_(spec), scenario_dir_(std::move(scenario_dir)), paths_(root, spec) {
    collect_actors();
  }

  Problems run() {
    if (!root_.is_map()) {
      error(root_.where, "scenario.type", "the top level of a scenario must be a mapping", "lines such as `schema: 1`");
    } else {
      section(root_, spec_);
    }
    if (stopped_) {
      problems_.resize(max_reported_problems);
      problems_.push_back(error_at(problems_.back().location, "scenario.too-many-problems",
                                   fmt::format("more than {} problems; stopped checking", max_reported_problems)));
    }
    return std::move(problems_);
  }

 private:
  void error(const InputLocation& where, std::string code, std::string message, std::string expected = {},
             std::string hint = {}) {
    problems_.push_back(error_at(where, std::move(code), std::move(message), std::move(expected), std::move(hint)));
  }

  bool full() {
    if (problems_.size() > max_reported_problems) stopped_ = true;
    return stopped_;
  }

  void collect_actors() {
    const FieldSpec* field = find_field(spec_, "actors");
    const YamlNode* list = root_.find("actors");
    if (field == nullptr || field->type != FieldType::List || field->section == nullptr || list == nullptr ||
        !list->is_sequence()) {
      return;
    }
    for (const auto& element : list->items) {
      if (auto id = element_key(element, *field->section); !id.empty()) actors_.insert(id);
    }
    if (actors_.size() <= max_hint_candidates) {
      actor_names_.assign(actors_.begin(), actors_.end());
      std::sort(actor_names_.begin(), actor_names_.end());
    }
  }

  void section(const YamlNode& node, const SectionSpec& spec) {
    if (!node.is_map()) {
      error(node.where, "scenario.type", fmt::format("{} is {}", spec.name, describe(node)),
            fmt::format("a mapping ({})", spec.doc));
      return;
    }
    for (const auto& [key, value] : node.entries) {
      if (full()) return;
      const FieldSpec* field = find_field(spec, key.text);
      if (field == nullptr) {
        const auto names = field_names(spec);
        error(key.where, "scenario.unknown-key",
              fmt::format("unknown key {} in {}", quote_for_message(key.text), spec.name),
              "one of: " + join(names), did_you_mean(key.text, names));
        continue;
      }
      check_field(value, *field);
    }
    for (const auto& field : spec.fields) {
      if (field.required && node.find(field.key) == nullptr) {
        error(node.where, "scenario.missing-key",
              fmt::format("missing required key '{}' in {}", field.key, spec.name),
              field.doc.empty() ? fmt::format("'{}'", field.key) : fmt::format("'{}': {}", field.key, field.doc));
      }
    }
  }

  void check_field(const YamlNode& value, const FieldSpec& field) {
    switch (field.type) {
      case FieldType::Number: (void)read_quantity(value, field, problems_); return;
      case FieldType::Integer: (void)read_integer(value, field, problems_); return;
      case FieldType::Text:
        if (!value.is_scalar()) {
          error(value.where, "scenario.type", fmt::format("'{}' is {}", field.key, describe(value)), "a text");
        }
        return;
      case FieldType::Identifier: identifier(value, field); return;
      case FieldType::ActorRef: actor_ref(value, field); return;
      case FieldType::ActorList: actor_list(value, field); return;
      case FieldType::Quarter: (void)read_quarter(value, problems_); return;
      case FieldType::Choice: choice(value, field); return;
      case FieldType::Boolean: (void)read_boolean(value, problems_); return;
      case FieldType::Series: (void)read_series(value, field, scenario_dir_, files_, problems_); return;
      case FieldType::ActorNumberMap: actor_number_map(value, field); return;
      case FieldType::Section:
        if (field.section != nullptr) section(value, *field.section);
        return;
      case FieldType::List: list(value, field); return;
      case FieldType::ParameterPath: parameter_path(value, field); return;
      case FieldType::ParameterMap: parameter_map(value, field); return;
    }
  }

  bool identifier(const YamlNode& node, const FieldSpec& field) {
    if (!node.is_scalar()) {
      error(node.where, "scenario.type", fmt::format("'{}' is {}", field.key, describe(node)), "an id");
      return false;
    }
    if (is_identifier(node.text)) return true;
    std::string lower;
    for (char c : node.text) {
      lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : (c == ' ' || c == '-' ? '_' : c);
    }
    error(node.where, "scenario.identifier",
          fmt::format("{} is not a valid id for '{}'", quote_for_message(node.text), field.key),
          "lower-case letters, digits and _, starting with a letter (at most 64 characters)",
          is_identifier(lower) ? fmt::format("write '{}'", lower) : std::string{});
    return false;
  }

  void actor_ref(const YamlNode& node, const FieldSpec& field) {
    if (!identifier(node, field)) return;
    if (actors_.count(node.text) != 0) return;
    error(node.where, "scenario.unknown-actor", fmt::format("unknown actor '{}' in '{}'", node.text, field.key),
          "the id of an actor declared under `actors`", did_you_mean(node.text, actor_names_));
  }

  void actor_list(const YamlNode& node, const FieldSpec& field) {
    if (!node.is_sequence()) {
      error(node.where, "scenario.type", fmt::format("'{}' is {}", field.key, describe(node)),
            "a list of actor ids such as [armenia, russia]");
      return;
    }
    std::unordered_map<std::string, int> first_line;
    for (const auto& item : node.items) {
      if (full()) return;
      actor_ref(item, field);
      if (!item.is_scalar()) continue;
      if (const auto [first, inserted] = first_line.emplace(item.text, item.where.line); !inserted) {
        error(item.where, "scenario.duplicate-id",
              fmt::format("actor '{}' is listed twice in '{}' (first on line {})", item.text, field.key,
                          first->second));
      }
    }
  }

  void choice(const YamlNode& node, const FieldSpec& field) {
    std::vector<std::string> names(field.choices.begin(), field.choices.end());
    if (node.is_scalar() && std::find(names.begin(), names.end(), node.text) != names.end()) return;
    error(node.where, "scenario.choice", fmt::format("{} is not a valid '{}'", describe(node), field.key),
          "one of: " + join(names), node.is_scalar() ? did_you_mean(node.text, names) : std::string{});
  }

  void actor_number_map(const YamlNode& node, const FieldSpec& field) {
    if (!node.is_map()) {
      error(node.where, "scenario.type", fmt::format("'{}' is {}", field.key, describe(node)),
            "a mapping such as {armenia: 0.3, azerbaijan: 0.5}");
      return;
    }
    for (const auto& [key, value] : node.entries) {
      if (full()) return;
      actor_ref(key, field);
      (void)read_quantity(value, field, problems_);
    }
  }

  void list(const YamlNode& node, const FieldSpec& field) {
    if (!node.is_sequence()) {
      error(node.where, "scenario.type", fmt::format("'{}' is {}", field.key, describe(node)),
            fmt::format("a list of {} entries, each starting with `- `", field.section ? field.section->name : ""));
      return;
    }
    if (field.section == nullptr) return;
    const SectionSpec& spec = *field.section;
    std::unordered_map<std::string, int> first_line;
    for (const auto& item : node.items) {
      if (full()) return;
      section(item, spec);
      if (spec.key_field.empty() || !item.is_map()) continue;
      const std::string key = element_key(item, spec);
      if (key.empty()) continue;
      const std::string first_field(split(spec.key_field, '-').front());
      const YamlNode* at = item.find(first_field);
      if (const auto [first, inserted] = first_line.emplace(key, item.where.line); !inserted) {
        error(at != nullptr ? at->where : item.where, "scenario.duplicate-id",
              fmt::format("duplicate {} '{}' in '{}' (first on line {})", spec.key_field, key, field.key,
                          first->second),
              {}, "each element of the list needs its own key");
      }
    }
  }

  PathTarget path_at(const YamlNode& node, const FieldSpec& field) {
    if (!node.is_scalar()) {
      error(node.where, "scenario.type", fmt::format("'{}' is {}", field.key, describe(node)), "a parameter path");
      return {};
    }
    return paths_.resolve(node.text, node.where, problems_);
  }

  void parameter_path(const YamlNode& node, const FieldSpec& field) { (void)path_at(node, field); }

  void parameter_map(const YamlNode& node, const FieldSpec& field) {
    if (!node.is_map()) {
      error(node.where, "scenario.type", fmt::format("'{}' is {}", field.key, describe(node)),
            "a mapping such as {arms_trade.russia->armenia.price: 0.8}");
      return;
    }
    for (const auto& [key, value] : node.entries) {
      if (full()) return;
      const PathTarget target = path_at(key, field);
      if (target.field != nullptr) (void)read_quantity(value, *target.field, problems_);
    }
  }

  const YamlNode& root_;
  const SectionSpec& spec_;
  std::string scenario_dir_;
  PathResolver paths_;
  SeriesFiles files_;
  std::unordered_set<std::string> actors_;
  std::vector<std::string> actor_names_;  // for hints; empty when there are too many
  Problems problems_;
  bool stopped_ = false;
};

}  // namespace

std::string element_key(const YamlNode& element, const SectionSpec& section) {
  if (!element.is_map() || section.key_field.empty()) return {};
  const std::string_view key_field = section.key_field;
  const std::size_t arrow = key_field.find("->");
  auto part = [&](std::string_view name) -> std::string {
    const YamlNode* node = element.find(name);
    return node != nullptr && node->is_scalar() ? node->text : std::string{};
  };
  if (arrow == std::string_view::npos) return part(key_field);
  const std::string first = part(key_field.substr(0, arrow));
  const std::string second = part(key_field.substr(arrow + 2));
  if (first.empty() || second.empty()) return {};
  return first + "->" + second;
}

PathTarget resolve_parameter_path(const YamlNode& root, const SectionSpec& spec, std::string_view path,
                                  const InputLocation& where, std::vector<Diagnostic>& problems) {
  PathResolver resolver(root, spec);
  return resolver.resolve(path, where, problems);
}

std::vector<Diagnostic> check_document(const YamlNode& root, const SectionSpec& spec, const std::string& file,
                                       const std::string& scenario_dir) {
  (void)file;  // every node carries its own location
  Checker checker(root, spec, scenario_dir);
  return checker.run();
}

std::vector<Diagnostic> check_text(std::string_view text, const SectionSpec& spec, const std::string& file,
                                   const std::string& scenario_dir) {
  ParsedDocument parsed = parse_yaml(text, file);
  if (!parsed.root) return std::move(parsed.diagnostics);
  return check_document(*parsed.root, spec, file, scenario_dir);
}

}  // namespace arbiter::scenario
