#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace arbiter::store {

/// Version of the results file layout this build writes and the newest it reads
/// (docs/results.md). Stored as SQLite's user_version.
inline constexpr int schema_version = 1;
/// SQLite application_id of an arbiter results file ("ARBT").
inline constexpr std::int32_t application_id = 0x41524254;

/// Where an ensemble stands; stored as text in manifest.status.
enum class RunStatus {
  running,      // being written, or the writer was killed: every committed block is complete
  complete,     // every requested run finished
  interrupted,  // stopped on request (Ctrl-C); the finished runs are kept
  failed,       // a run failed; the runs before its block are kept
};
[[nodiscard]] std::string_view to_string(RunStatus status) noexcept;

/// The manifest row: how the results were made.
struct Manifest {
  std::string arbiter_version;
  std::string scenario_path;
  std::string scenario_sha256;  // hex, of the scenario text as read
  std::string scenario_name;
  std::string seed;             // decimal u64 (SQLite integers are signed)
  std::uint64_t runs_requested = 0;
  std::uint64_t runs_completed = 0;
  unsigned threads = 0;
  std::string policy;
  std::string status;           // to_string(RunStatus)
  std::string started_utc;      // ISO 8601, e.g. 2024-05-01T12:34:56Z
  std::string finished_utc;     // empty while running
  std::string host;
};

/// Reads the manifest of a results file. Throws InputError naming the file if it is
/// missing, not an arbiter results file, or written by a newer schema.
[[nodiscard]] Manifest read_manifest(const std::filesystem::path& file);

/// Lower-case hex SHA-256 of `bytes` (OpenSSL's libcrypto).
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace arbiter::store
