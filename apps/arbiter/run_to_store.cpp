#include "run_to_store.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "arbiter/ensemble/run_ensemble.hpp"
#include "arbiter/store/results_writer.hpp"
#include "commands.hpp"

namespace arbiter::cli {
namespace {

// A signal handler can reach only globals; lock-free atomics are async-signal-safe.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void request_stop(int) {
  stop_requested.store(true);
  constexpr char message[] = "\narbiter: stopping after the runs in progress (Ctrl-C again to quit at once)\n";
  (void)!::write(STDERR_FILENO, message, sizeof message - 1);
}

// Installs request_stop for SIGINT for its lifetime. SA_RESETHAND restores the default
// action after the first signal, so a second Ctrl-C ends the process at once.
class InterruptHandler {
 public:
  InterruptHandler() {
    stop_requested.store(false);
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    ::sigaction(SIGINT, &action, &previous_);
  }
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;
  ~InterruptHandler() { ::sigaction(SIGINT, &previous_, nullptr); }

 private:
  struct sigaction previous_ {};
};

// One line redrawn in place, at most ten times a second, by whichever worker gets there.
class TerminalProgress final : public ensemble::ProgressObserver {
 public:
  explicit TerminalProgress(std::FILE* err) : err_(err), start_(Clock::now()) {}
  void runs_finished(std::uint64_t done, std::uint64_t total) override {
    const auto now = Clock::now();
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || (done < total && now - last_draw_ < std::chrono::milliseconds(100))) return;
    last_draw_ = now;
    constexpr int width = 30;
    const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
    const int filled = static_cast<int>(fraction * width);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double remaining = fraction > 0.0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
    fmt::print(err_, "\r[{:#<{}}{: <{}}] {:3.0f}%  {}/{} runs  {:.0f} s left \x1b[K", "", filled, "",
               width - filled, 100.0 * fraction, done, total, remaining);
    std::fflush(err_);
  }
  void clear() {
    const std::lock_guard lock(mutex_);
    fmt::print(err_, "\r\x1b[K");
    std::fflush(err_);
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::FILE* err_;
  Clock::time_point start_;
  Clock::time_point last_draw_{};
  std::mutex mutex_;
};

std::vector<std::size_t> shown_series(const engine::OutputCatalog& catalog, const RunSettings& settings) {
  std::vector<std::size_t> indices;
  if (settings.shown_series.empty()) {
    for (std::size_t s = 0; s < std::min<std::size_t>(8, catalog.series.size()); ++s) indices.push_back(s);
    return indices;
  }
  for (const std::string& name : settings.shown_series) {
    const auto found = std::find_if(catalog.series.begin(), catalog.series.end(),
                                    [&](const engine::OutputCatalog::Series& s) { return s.name == name; });
    if (found == catalog.series.end()) throw UsageError(fmt::format("no output series named '{}'", name));
    indices.push_back(static_cast<std::size_t>(found - catalog.series.begin()));
  }
  return indices;
}

// Normal-approximation 95 % interval of the mean over runs (Monte Carlo error only).
std::pair<double, double> monte_carlo_interval(const ensemble::Distribution& d, std::uint64_t runs) {
  const double half_width = 1.959963984540054 * d.standard_deviation / std::sqrt(static_cast<double>(runs));
  return {d.mean - half_width, d.mean + half_width};
}

void print_table(std::FILE* out, const engine::OutputCatalog& catalog, const ensemble::EnsembleOutcome& outcome,
                 const std::vector<std::size_t>& series, const RunSettings& settings, std::string_view status) {
  const ensemble::Aggregates& aggregates = outcome.aggregates;
  fmt::print(out, "{} runs of {} (seed {}) {} in {}\n", outcome.runs_completed,
             settings.scenario_name.empty() ? settings.scenario_path.string() : settings.scenario_name,
             static_cast<std::uint64_t>(settings.seed), status, settings.out.string());
  if (outcome.runs_completed == 0) return;
  const std::size_t last = catalog.quarter_count() - 1;
  if (!series.empty() && catalog.quarter_count() > 0) {
    std::size_t name_width = 6;
    for (const std::size_t s : series) name_width = std::max(name_width, catalog.series[s].name.size());
    fmt::print(out, "\n{:<{}}  {:>12}  {:>12}  {:>12}  {}\n", "series", name_width,
               fmt::format("mean {}", catalog.quarter_labels[last]), "5%", "95%", "unit");
    for (const std::size_t s : series) {
      const ensemble::Distribution& d = aggregates.at(s, last);
      fmt::print(out, "{:<{}}  {:>12.4g}  {:>12.4g}  {:>12.4g}  {}\n", catalog.series[s].name, name_width, d.mean,
                 d.q05, d.q95, catalog.series[s].unit);
    }
  }
  if (!catalog.summaries.empty()) {
    std::size_t name_width = 7;
    for (const auto& summary : catalog.summaries) name_width = std::max(name_width, summary.name.size());
    fmt::print(out, "\n{:<{}}  {:>12}  {:>27}  {}\n", "summary", name_width, "mean", "95% Monte Carlo interval",
               "unit");
    for (std::size_t i = 0; i < catalog.summaries.size(); ++i) {
      const ensemble::Distribution& d = aggregates.summaries[i];
      const auto [low, high] = monte_carlo_interval(d, aggregates.runs);
      const std::string interval =
          aggregates.runs > 1 ? fmt::format("[{:.4g}, {:.4g}]", low, high) : std::string("-");
      fmt::print(out, "{:<{}}  {:>12.4g}  {:>27}  {}\n", catalog.summaries[i].name, name_width, d.mean, interval,
                 catalog.summaries[i].unit);
    }
  }
}

nlohmann::ordered_json number(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

void print_json(std::FILE* out, const engine::OutputCatalog& catalog, const ensemble::EnsembleOutcome& outcome,
                const std::vector<std::size_t>& series, const RunSettings& settings, std::string_view status) {
  using Json = nlohmann::ordered_json;
  const ensemble::Aggregates& aggregates = outcome.aggregates;
  Json summary = Json::object();
  summary["file"] = settings.out.string();
  summary["status"] = status;
  summary["seed"] = fmt::format("{}", static_cast<std::uint64_t>(settings.seed));
  summary["runs_requested"] = settings.runs;
  summary["runs_completed"] = outcome.runs_completed;
  const bool any = outcome.runs_completed > 0 && catalog.quarter_count() > 0;
  summary["final_quarter"] = catalog.quarter_count() > 0 ? Json(catalog.quarter_labels.back()) : Json(nullptr);
  Json series_json = Json::array();
  for (const std::size_t s : series) {
    Json entry = Json::object();
    entry["name"] = catalog.series[s].name;
    entry["unit"] = catalog.series[s].unit;
    const ensemble::Distribution* d = any ? &aggregates.at(s, catalog.quarter_count() - 1) : nullptr;
    entry["mean"] = d != nullptr ? number(d->mean) : Json(nullptr);
    entry["q05"] = d != nullptr ? number(d->q05) : Json(nullptr);
    entry["q95"] = d != nullptr ? number(d->q95) : Json(nullptr);
    series_json.push_back(std::move(entry));
  }
  summary["series"] = std::move(series_json);
  Json summaries = Json::array();
  for (std::size_t i = 0; i < catalog.summaries.size(); ++i) {
    const ensemble::Distribution& d = aggregates.summaries[i];
    const auto [low, high] = monte_carlo_interval(d, aggregates.runs);
    Json entry = Json::object();
    entry["name"] = catalog.summaries[i].name;
    entry["unit"] = catalog.summaries[i].unit;
    entry["mean"] = number(d.mean);
    entry["mc95_low"] = number(low);
    entry["mc95_high"] = number(high);
    summaries.push_back(std::move(entry));
  }
  summary["summaries"] = std::move(summaries);
  fmt::print(out, "{}\n", summary.dump(2));
}

}  // namespace

int run_to_store(const ensemble::Simulator& simulator, const RunSettings& settings, std::FILE* out,
                 std::FILE* err) {
  // Found only at the final rename, these would throw away a whole ensemble; --force cannot
  // replace a directory either.
  for (const auto& target : {settings.out, store::partial_path(settings.out)}) {
    if (std::filesystem::is_directory(target)) {
      throw UsageError(fmt::format("--out: {} is a directory; give the path of a results file", target.string()));
    }
  }
  if (const auto folder = settings.out.parent_path(); !folder.empty() && !std::filesystem::is_directory(folder)) {
    throw UsageError(std::filesystem::exists(folder) ? fmt::format("--out: {} is not a folder", folder.string())
                                                     : fmt::format("--out: the folder {} does not exist", folder.string()));
  }
  if (!settings.force) {
    for (const auto& existing : {settings.out, store::partial_path(settings.out)}) {
      if (std::filesystem::exists(existing)) {
        throw UsageError(fmt::format("{} already exists; choose another --out or pass --force to replace it",
                                     existing.string()));
      }
    }
  }
  const engine::OutputCatalog& catalog = simulator.catalog();
  const std::vector<std::size_t> series = shown_series(catalog, settings);
  const unsigned threads = settings.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : settings.threads;

  store::ResultsWriter writer(settings.out,
                              {.arbiter_version = ARBITER_VERSION,
                               .scenario_path = settings.scenario_path.string(),
                               .scenario_text = settings.scenario_text,
                               .scenario_name = settings.scenario_name,
                               .seed = settings.seed,
                               .runs_requested = settings.runs,
                               .threads = threads,
                               .policy = settings.policy},
                              catalog, settings.force);
  std::unique_ptr<TerminalProgress> progress;
  if (::isatty(::fileno(err)) != 0) progress = std::make_unique<TerminalProgress>(err);

  ensemble::EnsembleOutcome outcome;
  {
    const InterruptHandler interrupt_handler;
    try {
      outcome = ensemble::run_ensemble(
          simulator, {.seed = settings.seed, .runs = settings.runs, .threads = threads, .block_runs = settings.block_runs},
          writer, progress.get(), stop_requested);
    } catch (const ensemble::RunError&) {
      if (progress) progress->clear();
      // The runs before the failing block are complete; keep them, marked as failed.
      // Aggregates are not known here, so none are written.
      writer.finish(ensemble::Aggregates{}, writer.runs_committed(), store::RunStatus::failed);
      throw;
    }
  }
  if (progress) progress->clear();
  const store::RunStatus status = outcome.stopped ? store::RunStatus::interrupted : store::RunStatus::complete;
  writer.finish(outcome.aggregates, outcome.runs_completed, status);

  const std::string_view status_text = outcome.stopped ? "kept" : "written";
  if (settings.json) {
    print_json(out, catalog, outcome, series, settings, store::to_string(status));
  } else {
    print_table(out, catalog, outcome, series, settings, status_text);
  }
  std::fflush(out);
  if (outcome.stopped) {
    fmt::print(err, "arbiter: interrupted after {} of {} runs; results kept in {}\n", outcome.runs_completed,
               settings.runs, settings.out.string());
    throw ExitRequest{exit_code::interrupted};
  }
  return exit_code::success;
}

}  // namespace arbiter::cli
