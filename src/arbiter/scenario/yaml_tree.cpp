#include "arbiter/scenario/yaml_tree.hpp"

#include <algorithm>
#include <istream>
#include <streambuf>
#include <unordered_map>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace arbiter::scenario {

using diagnostics::Diagnostic;
using diagnostics::InputLocation;

YamlNode::YamlNode() = default;
YamlNode::YamlNode(const YamlNode&) = default;
YamlNode::YamlNode(YamlNode&&) noexcept = default;
YamlNode& YamlNode::operator=(const YamlNode&) = default;
YamlNode& YamlNode::operator=(YamlNode&&) noexcept = default;
YamlNode::~YamlNode() = default;

const YamlNode* YamlNode::find(std::string_view key) const {
  if (kind != Kind::Map) return nullptr;
  for (const auto& [entry_key, value] : entries) {
    if (entry_key.kind == Kind::Scalar && entry_key.text == key) return &value;
  }
  return nullptr;
}

diagnostics::Diagnostic error_at(diagnostics::InputLocation where, std::string code, std::string message,
                                 std::string expected, std::string hint) {
  diagnostics::Diagnostic diagnostic;
  diagnostic.location = std::move(where);
  diagnostic.message = std::move(message);
  diagnostic.expected = std::move(expected);
  diagnostic.hint = std::move(hint);
  diagnostic.code = std::move(code);
  return diagnostic;
}

std::string quote_for_message(std::string_view text) {
  constexpr std::size_t max_shown = 60;
  std::string shown;
  for (std::size_t i = 0; i < text.size() && i < max_shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      shown += fmt::format("\\x{:02x}", byte);
    } else {
      shown += static_cast<char>(byte);
    }
  }
  if (text.size() > max_shown) {
    // Do not cut a UTF-8 sequence in half.
    while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) shown.pop_back();
    if (!shown.empty() && static_cast<unsigned char>(shown.back()) >= 0xC0) shown.pop_back();
    shown += "...";
  }
  return "'" + shown + "'";
}

namespace {

/// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is invalid
/// (truncated, overlong, a surrogate or beyond U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned min_second = 0x80, max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;  // overlong
    if (lead == 0xED) max_second = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;  // overlong
    if (lead == 0xF4) max_second = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

/// Reads a string_view as a stream without copying it.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // read only: the get area is never written
    setg(begin, begin, begin + text.size());
  }
};

struct Abort {
  Diagnostic diagnostic;
};

/// Turns yaml-cpp's 0-based marks, whose columns count bytes, into 1-based locations whose
/// columns count characters (as editors do). Keeps the number of UTF-8 continuation bytes
/// before every 64th byte, so each conversion costs at most 64 steps.
class Locator {
 public:
  Locator(std::string_view text, const std::string& file) : text_(text), file_(file) {
    // yaml-cpp's positions start after a byte-order mark.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
    text = text_;
    std::size_t continuation = 0;
    checkpoints_.reserve(text.size() / stride + 1);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (i % stride == 0) checkpoints_.push_back(continuation);
      if (is_continuation(text[i])) ++continuation;
    }
    checkpoints_.push_back(continuation);
  }

  [[nodiscard]] InputLocation operator()(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return {file_, 1, 1};
    const auto pos = static_cast<std::size_t>(mark.pos);
    const auto column_bytes = static_cast<std::size_t>(mark.column);
    int column = mark.column + 1;
    if (mark.pos >= 0 && pos <= text_.size() && column_bytes <= pos) {
      column -= static_cast<int>(continuations_before(pos) - continuations_before(pos - column_bytes));
    }
    return {file_, mark.line + 1, std::max(column, 1)};
  }

  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  static constexpr std::size_t stride = 64;
  static bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

  [[nodiscard]] std::size_t continuations_before(std::size_t pos) const {
    std::size_t count = checkpoints_[pos / stride];
    for (std::size_t i = pos / stride * stride; i < pos; ++i) count += is_continuation(text_[i]) ? 1 : 0;
    return count;
  }

  std::string_view text_;
  const std::string& file_;
  std::vector<std::size_t> checkpoints_;
};

/// Builds the tree from yaml-cpp's events, enforcing our limits as it goes.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const Locator& locate, std::vector<Diagnostic>& problems) : locate_(locate), problems_(problems) {}

  std::optional<YamlNode> root;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    refuse_anchor(mark, anchor);
    YamlNode node;
    node.kind = YamlNode::Kind::Null;
    node.where = locate_(mark);
    add(std::move(node));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { refuse_anchor(mark, 1); }

  void OnAnchor(const YAML::Mark& mark, const std::string&) override { refuse_anchor(mark, 1); }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    refuse_anchor(mark, anchor);
    refuse_tag(mark, tag);
    YamlNode node;
    node.kind = YamlNode::Kind::Scalar;
    node.text = value;
    // yaml-cpp marks every non-plain (quoted or block) scalar with the non-specific tag "!".
    node.quoted = tag == "!";
    node.where = locate_(mark);
    add(std::move(node));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YamlNode::Kind::Sequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YamlNode::Kind::Map);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    std::optional<YamlNode> pending_key;
    bool key_is_bad = false;
    std::unordered_map<std::string, int> first_line_of_key;
  };

  [[noreturn]] void abort(const YAML::Mark& mark, std::string message, std::string code, std::string hint = {}) {
    throw Abort{error_at(locate_(mark), std::move(code), std::move(message), {}, std::move(hint))};
  }

  void refuse_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) {
      abort(mark, "anchors and aliases are not supported in scenarios", "scenario.alias",
            "write the value out in full where it is needed");
    }
  }

  void refuse_tag(const YAML::Mark& mark, const std::string& tag) {
    if (!tag.empty() && tag != "?" && tag != "!") {
      abort(mark, fmt::format("YAML tags ({}) are not supported in scenarios", quote_for_message(tag)),
            "scenario.tag", "remove the tag; each key's type is fixed by the scenario format");
    }
  }

  void count(const InputLocation& where) {
    if (++node_count_ > max_yaml_nodes) {
      throw Abort{error_at(where, "scenario.too-large", fmt::format("the file has more than {} values", max_yaml_nodes))};
    }
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YamlNode::Kind kind) {
    refuse_anchor(mark, anchor);
    refuse_tag(mark, tag);
    count(locate_(mark));
    if (static_cast<int>(stack_.size()) >= max_nesting_depth) {
      abort(mark, fmt::format("the values are nested more than {} levels deep", max_nesting_depth),
            "scenario.depth");
    }
    Frame frame;
    frame.node.kind = kind;
    frame.node.where = locate_(mark);
    stack_.push_back(std::move(frame));
  }

  void close() {
    YamlNode node = std::move(stack_.back().node);
    stack_.pop_back();
    attach(std::move(node));
  }

  void add(YamlNode node) {
    count(node.where);
    attach(std::move(node));
  }

  void attach(YamlNode node) {
    if (stack_.empty()) {
      root = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.kind == YamlNode::Kind::Sequence) {
      parent.node.items.push_back(std::move(node));
      return;
    }
    if (!parent.pending_key) {
      parent.key_is_bad = false;
      if (node.kind != YamlNode::Kind::Scalar) {
        parent.key_is_bad = true;
        problems_.push_back(error_at(node.where, "scenario.key",
                                     node.kind == YamlNode::Kind::Null
                                         ? "a key is empty or null"
                                         : "a key must be a plain text, not a list or mapping",
                                     "a key such as `name:`"));
      } else {
        const auto [seen, inserted] = parent.first_line_of_key.emplace(node.text, node.where.line);
        if (!inserted) {
          parent.key_is_bad = true;
          problems_.push_back(error_at(node.where, "scenario.duplicate-key",
                                       fmt::format("duplicate key {} (first given on line {})",
                                                   quote_for_message(node.text), seen->second),
                                       {}, "give each key once; remove or merge one of them"));
        }
      }
      parent.pending_key = std::move(node);
      return;
    }
    if (!parent.key_is_bad) parent.node.entries.emplace_back(std::move(*parent.pending_key), std::move(node));
    parent.pending_key.reset();
  }

  const Locator& locate_;
  std::vector<Diagnostic>& problems_;
  std::vector<Frame> stack_;
  std::size_t node_count_ = 0;
};

/// Stops at the start of a second document: its content is not needed.
class SecondDocumentDetector : public YAML::EventHandler {
 public:
  struct Found {
    YAML::Mark mark;
  };
  void OnDocumentStart(const YAML::Mark& mark) override { throw Found{mark}; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// yaml-cpp queues every `[` or `{` of a flow collection as a possible key before it emits
/// any event, so `[[[[...` exhausts memory long before our depth check sees it. This lexical
/// pass finds deep flow nesting first. It skips comments and quoted text; brackets inside
/// plain text are counted too, which errs on the side of refusing absurd files.
std::optional<InputLocation> find_deep_flow_nesting(std::string_view text, const std::string& file) {
  int depth = 0;
  int line = 1;
  int column = 1;
  char previous = '\n';
  auto is_continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool token_start = previous == '\n' || previous == ' ' || previous == '\t' || previous == '[' ||
                             previous == '{' || previous == ',' || previous == '\r';
    if (c == '#' && token_start) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      previous = '#';
      continue;
    }
    if ((c == '"' || c == '\'') && (token_start || previous == ':')) {
      for (++i; i < text.size() && text[i] != c; ++i) {
        if (c == '"' && text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n') ++i;
        if (text[i] == '\n') {
          ++line;
          column = 1;
        } else if (!is_continuation(text[i])) {
          ++column;
        }
      }
      column += 2;
      previous = c;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > max_nesting_depth) return InputLocation{file, line, column};
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else if (!is_continuation(c)) {
      ++column;
    }
    previous = c;
  }
  return std::nullopt;
}

Diagnostic from_parser_exception(const YAML::ParserException& error, const Locator& locate) {
  Diagnostic diagnostic = error_at(locate(error.mark), "scenario.syntax", {});
  if (error.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) {
    diagnostic.message = "anchors and aliases are not supported in scenarios";
    diagnostic.hint = "write the value out in full where it is needed";
    diagnostic.code = "scenario.alias";
  } else if (dynamic_cast<const YAML::DeepRecursion*>(&error) != nullptr) {
    diagnostic.message = fmt::format("the values are nested more than {} levels deep", max_nesting_depth);
    diagnostic.code = "scenario.depth";
  } else {
    diagnostic.message = "YAML syntax error: " + error.msg;
    diagnostic.hint = "check the indentation, colons and brackets near this point";
  }
  return diagnostic;
}

}  // namespace

std::optional<TextProblem> find_text_problem(std::string_view text, const std::string& file_name) {
  int line = 1;
  int column = 1;
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // a byte-order mark is not a character
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\0') {
      return TextProblem{{file_name, line, column}, "the file contains a NUL byte: it is binary data, not text",
                         "scenario.binary"};
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      return TextProblem{{file_name, line, column},
                         fmt::format("the file is not valid UTF-8: bad byte 0x{:02X}",
                                     static_cast<unsigned char>(c)),
                         "scenario.encoding"};
    }
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      column = 1;
    } else if (c != '\r') {
      ++column;
    }
    i += length;
  }
  return std::nullopt;
}

ParsedDocument parse_yaml(std::string_view text, const std::string& file_name) {
  ParsedDocument result;
  auto fail = [&](Diagnostic diagnostic) {
    result.diagnostics.push_back(std::move(diagnostic));
    result.root.reset();
    return std::move(result);
  };
  if (text.size() > max_scenario_bytes) {
    return fail(error_at({file_name, 1, 1}, "scenario.too-large",
                         fmt::format("the file is too large ({} bytes)", text.size()),
                         fmt::format("at most {} bytes", max_scenario_bytes)));
  }
  if (auto problem = find_text_problem(text, file_name)) {
    return fail(error_at(problem->where, problem->code, problem->message, "UTF-8 text"));
  }
  if (auto deep = find_deep_flow_nesting(text, file_name)) {
    return fail(error_at(*deep, "scenario.depth",
                         fmt::format("the values are nested more than {} levels deep", max_nesting_depth)));
  }
  const Diagnostic empty = error_at({file_name, 1, 1}, "scenario.empty", "the scenario file is empty",
                                    "a mapping with the scenario's keys, starting with `schema: 1`");
  const Locator locate(text, file_name);
  ViewBuffer buffer(text);
  std::istream stream(&buffer);
  try {
    YAML::Parser parser(stream);
    TreeBuilder builder(locate, result.diagnostics);
    if (!parser.HandleNextDocument(builder) || !builder.root) return fail(empty);
    try {
      SecondDocumentDetector detector;
      parser.HandleNextDocument(detector);
    } catch (const SecondDocumentDetector::Found& found) {
      return fail(error_at(locate(found.mark), "scenario.multiple-documents",
                           "the file holds more than one YAML document", "exactly one document",
                           "remove the `---` line and what follows, or split the file"));
    }
    result.root = std::move(builder.root);
  } catch (const Abort& abort) {
    return fail(abort.diagnostic);
  } catch (const YAML::ParserException& error) {
    return fail(from_parser_exception(error, locate));
  } catch (const std::exception& error) {
    return fail(error_at({file_name, 1, 1}, "scenario.syntax", fmt::format("could not read the YAML: {}", error.what())));
  }
  if (!result.diagnostics.empty()) {
    result.root.reset();
    return result;
  }
  if (result.root->kind == YamlNode::Kind::Null) return fail(empty);
  if (result.root->kind != YamlNode::Kind::Map) {
    return fail(error_at(result.root->where, "scenario.type",
                         "the top level of a scenario must be a mapping of keys to values",
                         "lines such as `schema: 1`"));
  }
  return result;
}

}  // namespace arbiter::scenario
