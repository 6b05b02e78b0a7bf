#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

extern char** environ;

namespace arbiter::e2e {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

/// Closes both ends on scope exit unless released.
struct Pipe {
  std::array<int, 2> fd{-1, -1};
  Pipe() {
    if (::pipe2(fd.data(), O_CLOEXEC) != 0) fail("pipe2");
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    for (int& f : fd) close_end(f);
  }
  static void close_end(int& f) {
    if (f >= 0) ::close(f);
    f = -1;
  }
};

/// Reads what is available; returns false at end of file.
bool drain(int fd, std::string& into) {
  std::array<char, 65536> buffer{};
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n > 0) {
    into.append(buffer.data(), static_cast<std::size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  return false;
}

}  // namespace

std::string ProcessResult::describe() const {
  std::string how;
  if (timed_out) {
    how = fmt::format("timed out after {:.2f} s", elapsed.count());
  } else if (exited) {
    how = fmt::format("exited with {} after {:.2f} s", exit_code, elapsed.count());
  } else {
    how = fmt::format("killed by signal {} ({}) after {:.2f} s", term_signal, ::strsignal(term_signal),
                      elapsed.count());
  }
  return fmt::format("{}\n--- stdout ---\n{}\n--- stderr ---\n{}", how, out, err);
}

ProcessResult run_process(const ProcessOptions& options) {
  if (options.argv.empty()) throw std::runtime_error("run_process: no program");
  Pipe out_pipe;
  Pipe err_pipe;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe.fd[1], STDERR_FILENO);
  if (!options.working_directory.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory.c_str());
  }
  // The child starts with default signal handling, whatever the test runner set.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t all;
  sigfillset(&all);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> argv;
  for (const auto& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  const auto start = Clock::now();
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    errno = spawned;
    fail(fmt::format("cannot start {}", options.argv[0]));
  }
  Pipe::close_end(out_pipe.fd[1]);
  Pipe::close_end(err_pipe.fd[1]);

  ProcessResult result;
  const auto deadline = start + options.timeout;
  std::size_t next_signal = 0;
  auto previous_signal = start;
  bool out_open = true;
  bool err_open = true;
  while (out_open || err_open) {
    auto now = Clock::now();
    if (next_signal < options.signals.size()) {
      const TimedSignal& signal = options.signals[next_signal];
      if (now >= previous_signal + signal.after && (!signal.when || signal.when())) {
        ::kill(pid, signal.number);
        previous_signal = now;
        ++next_signal;
      }
    }
    if (now >= deadline) {
      ::kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    auto next = deadline;
    if (next_signal < options.signals.size()) {
      const auto due = previous_signal + options.signals[next_signal].after;
      next = std::min(next, std::max(due, now + std::chrono::milliseconds(options.signals[next_signal].when ? 20 : 1)));
    }
    const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
    std::array<pollfd, 2> fds{pollfd{out_open ? out_pipe.fd[0] : -1, POLLIN, 0},
                              pollfd{err_open ? err_pipe.fd[0] : -1, POLLIN, 0}};
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait_ms));
    if (ready < 0 && errno != EINTR) fail("poll");
    if (ready <= 0) continue;
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) out_open = drain(out_pipe.fd[0], result.out);
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) err_open = drain(err_pipe.fd[0], result.err);
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail("waitpid");
  }
  result.elapsed = Clock::now() - start;
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
  return result;
}

std::string sanitizer_report_in(const std::string& text) {
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "UndefinedBehaviorSanitizer",
                             "runtime error:", "ThreadSanitizer", "MemorySanitizer"}) {
    if (text.find(marker) != std::string::npos) return marker;
  }
  return {};
}

}  // namespace arbiter::e2e
