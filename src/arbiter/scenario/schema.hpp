#pragma once

#include <span>
#include <string_view>

// The field tables: one description of every scenario key drives validation, defaults,
// "did you mean" hints, the JSON Schema and docs/scenario-format.md.
namespace arbiter::scenario {

enum class FieldType {
  Number,          // a quantity: plain number, {value, unit, source}, a distribution, or {free: ...}
  Integer,         // plain integer
  Text,            // any string
  Identifier,      // [a-z][a-z0-9_]*: ids of actors, alliances, rivalries, policies
  ActorRef,        // the id of an actor declared in `actors`
  ActorList,       // a list of ActorRef
  Quarter,         // "1994Q2" or a year "1994" (= its first quarter)
  Choice,          // one of `choices`
  Boolean,         // true / false
  Series,          // a time series: number, {series: FILE, column: NAME}, or {YEAR: number, ...}
  ActorNumberMap,  // {actor_id: Number, ...}
  Section,         // a nested mapping described by `section`
  List,            // a sequence of mappings each described by `section`
  ParameterPath,   // a path naming a Number field, e.g. arms_trade.russia->armenia.price
  ParameterMap,    // {ParameterPath: Number, ...}, used by events and policies
};

struct SectionSpec;

struct FieldSpec {
  std::string_view key = {};
  FieldType type = FieldType::Number;
  bool required = false;
  std::string_view default_text = {};  // shown in docs; empty when required or none
  double min = -1e300;            // inclusive range for Number/Integer (canonical units)
  double max = 1e300;
  std::string_view unit = {};          // canonical unit of a Number/Series, e.g. "USD bn", "1/yr", "fraction"
  std::string_view doc = {};           // one sentence for the docs and the schema
  const SectionSpec* section = nullptr;  // for Section and List
  std::span<const std::string_view> choices = {};  // for Choice
  bool uncertain_allowed = true;  // Number: may be a distribution drawn once per run
};

struct SectionSpec {
  std::string_view name = {};  // e.g. "actor", "arms_trade"
  std::string_view doc = {};
  std::span<const FieldSpec> fields = {};
  std::string_view key_field = {};  // the field that names an element of a List (e.g. "id")
};

/// The root of the scenario format (version 1).
[[nodiscard]] const SectionSpec& scenario_root_spec();

}  // namespace arbiter::scenario
