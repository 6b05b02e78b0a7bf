#include "arbiter/store/results_file.hpp"

#include <array>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "arbiter/diagnostics/errors.hpp"
#include "arbiter/store/detail/schema.hpp"

namespace arbiter::store {

std::string_view to_string(RunStatus status) noexcept {
  switch (status) {
    case RunStatus::running:
      return "running";
    case RunStatus::complete:
      return "complete";
    case RunStatus::interrupted:
      return "interrupted";
    case RunStatus::failed:
      return "failed";
  }
  return "running";
}

Manifest read_manifest(const std::filesystem::path& file) {
  const auto database = detail::open_results_file(file);
  detail::Statement query = database->prepare(
      "SELECT arbiter_version, scenario_path, scenario_sha256, scenario_name, seed, runs_requested, runs_completed, "
      "threads, policy, status, started_utc, finished_utc, host FROM manifest");
  check_invariant(query.step(), "a results file has one manifest row");
  return Manifest{.arbiter_version = query.text(0),
                  .scenario_path = query.text(1),
                  .scenario_sha256 = query.text(2),
                  .scenario_name = query.text(3),
                  .seed = query.text(4),
                  .runs_requested = static_cast<std::uint64_t>(query.integer(5)),
                  .runs_completed = static_cast<std::uint64_t>(query.integer(6)),
                  .threads = static_cast<unsigned>(query.integer(7)),
                  .policy = query.text(8),
                  .status = query.text(9),
                  .started_utc = query.text(10),
                  .finished_utc = query.text(11),
                  .host = query.text(12)};
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  const int ok = EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  check_invariant(ok == 1 && length == 32, "OpenSSL computes SHA-256");
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace arbiter::store
