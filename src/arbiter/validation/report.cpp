#include "arbiter/validation/report.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arbiter/scenario/yaml_tree.hpp"

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::validation {

namespace {

std::string pm(const Estimate& e, int digits = 3) {
  return fmt::format("{:.{}f} ± {:.{}f}", e.value, digits, e.standard_error, digits);
}

std::string percent(double p) { return fmt::format("{:.1f} %", 100.0 * p); }

std::string outcome_word(bool happened) { return happened ? "yes" : "no"; }

std::string policy_label(const Question& q) { return q.policy.empty() ? "none (plain forecast)" : q.policy; }

std::string render_parameters(const BacktestSpec& spec, const BacktestResult& result, const ReportContext& context) {
  std::string out = "| parameter | free range | why it is free (scenario file) | grid tried |";
  for (const auto& origin : result.origins) out += fmt::format(" fitted, origin {} |", origin.origin);
  out += " value in the scenario file |\n|---|---|---|---|";
  for (std::size_t i = 0; i < result.origins.size(); ++i) out += "---|";
  out += "---|\n";
  for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
    const auto& param = spec.parameters[p];
    const auto& held = context.scenario_values[p];
    std::string grid;
    for (const double v : param.grid) grid += (grid.empty() ? "" : ", ") + fmt::format("{:g}", v);
    out += fmt::format("| `{}` | [{:g}, {:g}] | {} | {} |", param.path, held.free_low, held.free_high, held.reason, grid);
    for (const auto& origin : result.origins) out += fmt::format(" **{:g}** |", origin.grid[origin.best].values[p]);
    out += fmt::format(" {:g} |\n", held.value);
  }
  // Which fit the scenario file holds: said from the numbers, not assumed.
  if (!result.origins.empty()) {
    const auto& last = result.origins.back();
    bool same = true;
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
      same = same && std::abs(last.grid[last.best].values[p] - context.scenario_values[p].value) < 1e-12;
    }
    out += fmt::format(
        "\nThe scenario file's values {} the fit at the latest origin ({}), which uses the most pre-origin data.{}\n",
        same ? "equal" : "differ from", last.origin,
        same ? "" : " Refit them (or explain the difference) before relying on full-history runs.");
  }
  return out;
}

std::string render_targets(const BacktestSpec& spec, const BacktestResult& result) {
  std::string out;
  for (const auto& origin : result.origins) {
    out += fmt::format("\n**Origin {}** (fit window ends {}):\n\n", origin.origin, origin.origin_year - 1);
    out += "| target | data it was fitted to | observed | model at the fitted values (± MC s.e.) |\n|---|---|---|---|\n";
    const auto& best = origin.grid[origin.best];
    for (std::size_t t = 0; t < spec.targets.size(); ++t) {
      const auto& target = spec.targets[t];
      out += fmt::format("| {} (`{}`, {}..{}) | {} | {:.4f} | {} |\n", target.description, target.id,
                         target.first_year, origin.origin_year - 1, origin.observed_notes[t],
                         origin.observed_targets[t], pm(best.targets[t], 4));
    }
  }
  return out;
}

std::string render_grid(const BacktestSpec& spec, const BacktestResult& result) {
  std::string out;
  for (const auto& origin : result.origins) {
    out += fmt::format("\n**Origin {}:**\n\n|", origin.origin);
    for (const auto& p : spec.parameters) out += fmt::format(" `{}` |", p.path);
    for (const auto& t : spec.targets) out += fmt::format(" {} |", t.id);
    out += " loss |\n|";
    for (std::size_t i = 0; i < spec.parameters.size() + spec.targets.size() + 1; ++i) out += "---|";
    out += "\n";
    for (std::size_t g = 0; g < origin.grid.size(); ++g) {
      const auto& point = origin.grid[g];
      const bool best = g == origin.best;
      out += "|";
      for (const double v : point.values) out += best ? fmt::format(" **{:g}** |", v) : fmt::format(" {:g} |", v);
      for (const auto& e : point.targets) out += fmt::format(" {} |", pm(e, 4));
      out += best ? fmt::format(" **{:.4f}** (chosen) |\n", point.loss) : fmt::format(" {:.4f} |\n", point.loss);
    }
  }
  return out;
}

std::string render_questions(const BacktestResult& result) {
  std::string out;
  for (const auto& origin : result.origins) {
    out += fmt::format("\n**Origin {}** (data and events from {} on forgotten):\n\n", origin.origin, origin.origin);
    out += "| question | window | conditioning policy | model P (± MC s.e.) | naive base rate P (annual rate, row) | "
           "happened? | Brier model (± MC s.e.) | Brier base rate | Brier 0.5 |\n"
           "|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& q : origin.questions) {
      out += fmt::format("| {} (`{}`) | {}..{} | {} | {} | {:.3f} ({:.4f}/yr, {} {}..{}, {}) | {} | {} | {:.3f} | {:.3f} |\n",
                         q.question.text, q.question.id, q.question.from, q.question.to, policy_label(q.question),
                         pm(q.probability), q.base_rate_probability, q.base_rate.annual, q.base_rate.event,
                         q.base_rate.window_first_year, q.base_rate.window_last_year, q.base_rate.column,
                         outcome_word(q.question.happened), pm({q.brier_model, q.brier_model_se}),
                         q.brier_base_rate, q.brier_climatology);
    }
  }
  return out;
}

struct Means {
  double model = 0.0, model_se = 0.0, base = 0.0, climatology = 0.0;
  std::size_t n = 0;
};

Means mean_scores(const std::vector<const QuestionResult*>& questions) {
  Means m;
  double variance = 0.0;
  for (const auto* q : questions) {
    m.model += q->brier_model;
    variance += q->brier_model_se * q->brier_model_se;
    m.base += q->brier_base_rate;
    m.climatology += q->brier_climatology;
  }
  m.n = questions.size();
  if (m.n == 0) return m;
  const double n = static_cast<double>(m.n);
  m.model /= n;
  m.base /= n;
  m.climatology /= n;
  m.model_se = std::sqrt(variance) / n;
  return m;
}

std::string render_scores(const BacktestResult& result) {
  std::string out = "| questions | n | mean Brier, model (± MC s.e.) | mean Brier, naive base rate | mean Brier, 0.5 | "
                    "model beats base rate? |\n|---|---|---|---|---|---|\n";
  std::vector<const QuestionResult*> all;
  auto row = [&](const std::string& label, const std::vector<const QuestionResult*>& qs) {
    const Means m = mean_scores(qs);
    const char* verdict = m.model + 2.0 * m.model_se < m.base   ? "yes"
                          : m.model - 2.0 * m.model_se > m.base ? "no"
                                                                 : "within MC error";
    out += fmt::format("| {} | {} | {} | {:.3f} | {:.3f} | {} |\n", label, m.n, pm({m.model, m.model_se}), m.base,
                       m.climatology, verdict);
  };
  for (const auto& origin : result.origins) {
    std::vector<const QuestionResult*> qs;
    for (const auto& q : origin.questions) qs.push_back(&q);
    all.insert(all.end(), qs.begin(), qs.end());
    row("origin " + origin.origin, qs);
  }
  row("all", all);
  return out;
}

/// The one cell a question cites; InputError when no row or several rows match.
std::string cell_value(const datasets::CsvTable& table, const Question::DataCell& cell) {
  std::vector<const datasets::CsvRecord*> rows;
  for (const auto& row : table.rows) {
    bool all = true;
    for (const auto& [column, value] : cell.match) all = all && row.fields[table.column(column)] == value;
    if (all) rows.push_back(&row);
  }
  if (rows.size() != 1) {
    throw InputError({scenario::error_at({table.file, 1, 1}, "backtest.data-cell",
                                         fmt::format("{} rows match the cited cell (need exactly one)", rows.size()))});
  }
  const std::string& text = rows.front()->fields[table.column(cell.column)];
  return text.empty() ? "(empty)" : text;
}

std::string render_evidence(const BacktestResult& result, const ReportContext& context) {
  std::string out;
  for (const auto& origin : result.origins) {
    for (const auto& qr : origin.questions) {
      const auto& q = qr.question;
      out += fmt::format("- `{}` — {} Outcome: **{}**.\n", q.id, q.outcome_note, outcome_word(q.happened));
      for (const auto& id : q.facts) {
        check_invariant(context.facts != nullptr, "facts are checked before rendering");
        const auto& table = *context.facts;
        const auto& row = *std::find_if(table.rows.begin(), table.rows.end(),
                                        [&](const auto& r) { return !r.fields.empty() && r.fields[0] == id; });
        auto field = [&](std::string_view name) { return row.fields[table.column(name)]; };
        out += fmt::format("  - {} ({}): {} — {}{}{} [{}]\n", id, field("date_or_period"), field("subject"),
                           field("predicate"), field("object").empty() ? "" : ": " + field("object"),
                           field("value").empty() ? "" : fmt::format(" = {} {}", field("value"), field("unit")),
                           field("source"));
      }
      for (const auto& cell : q.data_cells) {
        const auto& table = context.data_files->at(cell.file);
        std::string picked;
        for (const auto& [column, value] : cell.match) picked += fmt::format("{}{} = {}", picked.empty() ? "" : ", ", column, value);
        out += fmt::format("  - `{}`, row {}: {} = {}{}\n", cell.file, picked, cell.column, cell_value(table, cell),
                           table.find_column("source") ? fmt::format(" [{}]", cell_value(table, {cell.file, cell.match, "source"})) : "");
      }
    }
  }
  return out;
}

std::string render_contrasts(const BacktestResult& result) {
  std::string out;
  for (const auto& origin : result.origins) {
    for (const auto& with : origin.questions) {
      if (with.question.policy.empty()) continue;
      for (const auto& plain : origin.questions) {
        const auto& a = with.question;
        const auto& b = plain.question;
        if (!b.policy.empty() || a.events != b.events || a.from != b.from || a.to != b.to) continue;
        const double diff = with.probability.value - plain.probability.value;
        // Common random numbers make the two estimates positively correlated, so the
        // independent-runs error below is an upper bound.
        const double se = std::hypot(with.probability.standard_error, plain.probability.standard_error);
        out += fmt::format(
            "- Origin {}: conditioning on `{}` moves P(`{}`) from {:.3f} to {:.3f} (difference {:+.3f}, at most ± {:.3f} "
            "MC s.e.): {}.\n",
            origin.origin, a.policy, b.id, plain.probability.value, with.probability.value, diff, se,
            std::abs(diff) > 2.0 * se ? "a difference larger than the Monte Carlo error"
                                      : "no difference the ensemble can resolve");
      }
    }
  }
  return out.empty() ? "- (no question is asked under a policy)\n" : out;
}

std::string render_where_wrong(const BacktestSpec& spec, const BacktestResult& result) {
  std::string out;
  for (const auto& origin : result.origins) {
    for (const auto& q : origin.questions) {
      const double p = q.probability.value;
      const auto& text = q.question.text;
      if (q.question.happened && p < 0.5) {
        out += fmt::format("- From {}, the model gave {} to \"{}\" (`{}`), which **happened**.", origin.origin,
                           percent(p), text, q.question.id);
      } else if (!q.question.happened && p >= 0.5) {
        out += fmt::format("- From {}, the model gave {} to \"{}\" (`{}`), which **did not happen**.", origin.origin,
                           percent(p), text, q.question.id);
      } else {
        continue;
      }
      if (q.brier_model > q.brier_base_rate + 2.0 * q.brier_model_se) {
        out += fmt::format(" The naive base rate ({}) scored better (Brier {:.3f} vs {:.3f}).\n",
                           percent(q.base_rate_probability), q.brier_base_rate, q.brier_model);
      } else if (q.brier_model + 2.0 * q.brier_model_se < q.brier_base_rate) {
        out += fmt::format(" It still beat the naive base rate ({}; Brier {:.3f} vs {:.3f}).\n",
                           percent(q.base_rate_probability), q.brier_model, q.brier_base_rate);
      } else {
        out += fmt::format(" The naive base rate ({}) did about as well (Brier {:.3f} vs {:.3f}).\n",
                           percent(q.base_rate_probability), q.brier_base_rate, q.brier_model);
      }
    }
    std::vector<const QuestionResult*> scored;
    for (const auto& q : origin.questions) scored.push_back(&q);
    const Means means = mean_scores(scored);
    if (means.n > 0 && means.model - 2.0 * means.model_se > means.climatology) {
      out += fmt::format("- From {}, the model's mean Brier score ({:.3f}) is worse than a coin flip's ({:.3f}): on these "
                         "questions a forecaster who said 50 % every time would have done better.\n",
                         origin.origin, means.model, means.climatology);
    }
    const auto& best = origin.grid[origin.best];
    for (std::size_t t = 0; t < spec.targets.size(); ++t) {
      const double model = best.targets[t].value, observed = origin.observed_targets[t];
      const double relative = observed != 0.0 ? std::abs(model - observed) / observed : std::abs(model);
      if (relative > 0.25 && std::abs(model - observed) > 2.0 * best.targets[t].standard_error) {
        out += fmt::format(
            "- Origin {}: no grid point reaches the calibration target `{}`: the best fit gives {:.4f} against {:.4f} "
            "observed ({:.0f} % off), so the grid or the model's structure cannot reproduce the pre-origin record.\n",
            origin.origin, spec.targets[t].id, model, observed, 100.0 * relative);
      }
    }
  }
  return out.empty() ? "- No forecast put less than 50 % on what happened, and every target was reached.\n" : out;
}

}  // namespace

const std::vector<std::string>& report_placeholders() {
  static const std::vector<std::string> names = {"name",      "command",  "runs",     "seed",   "spec",
                                                 "scenario",  "origins",  "parameters", "targets", "grid",
                                                 "questions", "scores",   "evidence", "contrasts", "where_wrong"};
  return names;
}

std::string render_report(const std::string& template_text, const std::string& template_name, const BacktestSpec& spec,
                          const BacktestResult& result, const ReportContext& context) {
  std::string origins;
  for (const auto& o : result.origins) origins += (origins.empty() ? "" : " and ") + o.origin;
  auto value_of = [&](const std::string& name) -> std::string {
    if (name == "name") return spec.name;
    if (name == "command") return context.command;
    if (name == "runs") return fmt::format("{}", result.runs);
    if (name == "seed") return fmt::format("{}", result.seed);
    if (name == "spec") return context.spec_file;
    if (name == "scenario") return context.scenario_file;
    if (name == "origins") return origins;
    if (name == "parameters") return render_parameters(spec, result, context);
    if (name == "targets") return render_targets(spec, result);
    if (name == "grid") return render_grid(spec, result);
    if (name == "questions") return render_questions(result);
    if (name == "scores") return render_scores(result);
    if (name == "evidence") return render_evidence(result, context);
    if (name == "contrasts") return render_contrasts(result);
    if (name == "where_wrong") return render_where_wrong(spec, result);
    return {};
  };
  std::string out;
  std::vector<diagnostics::Diagnostic> problems;
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = template_text.find("{{", pos);
    if (open == std::string::npos) {
      out.append(template_text, pos);
      break;
    }
    out.append(template_text, pos, open - pos);
    const int line = 1 + static_cast<int>(std::count(template_text.begin(),
                                                     template_text.begin() + static_cast<std::ptrdiff_t>(open), '\n'));
    const std::size_t close = template_text.find("}}", open);
    if (close == std::string::npos) {
      problems.push_back(scenario::error_at({template_name, line, 1}, "backtest.template", "'{{' without a closing '}}'"));
      break;
    }
    const std::string name = template_text.substr(open + 2, close - open - 2);
    const auto& known = report_placeholders();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back(scenario::error_at({template_name, line, 1}, "backtest.template",
                                            fmt::format("unknown placeholder '{{{{{}}}}}'", name), {},
                                            fmt::format("known: {}", fmt::join(known, ", "))));
    } else {
      out += value_of(name);
    }
    pos = close + 2;
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return out;
}

}  // namespace arbiter::validation
