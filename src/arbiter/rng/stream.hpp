#pragma once

#include <array>
#include <cstdint>

namespace arbiter::rng {

enum class MasterSeed : std::uint64_t {};
inline constexpr std::uint32_t no_actor = 0xFFFF'FFFF;

/// Why a number is drawn. The values are part of every stored result's identity:
/// never renumber, only append. A mechanism draws only from its own purpose, so
/// switching one mechanism off leaves every other mechanism's numbers unchanged.
enum class Purpose : std::uint32_t {
  ScenarioSampling = 1,
  Economy = 2,
  ArmsTrade = 3,
  WarOnset = 4,
  WarDynamics = 5,
  Mediation = 6,
  Alliance = 7,
  Peacekeeping = 8,
  Backer = 9,
  Alignment = 10,
  CapacityShock = 11,
  Negotiation = 12,
  Incidents = 13,
  PatronStrategy = 14,
};

struct StreamKey {
  MasterSeed seed{};
  std::uint64_t run_index = 0;
  Purpose purpose = Purpose::ScenarioSampling;
  std::uint32_t actor_index = no_actor;  // no_actor for draws about the whole system
  std::uint64_t step = 0;
};

/// An independent stream of random numbers for one key (Philox4x64-10, Salmon et al. 2011).
/// The n-th number is a pure function of (key, n), so a run's draws never depend on which
/// thread or rank computes it. Two streams made from one key yield the same numbers: make
/// each stream once and pass it by reference.
class Stream {
 public:
  explicit Stream(const StreamKey& key) noexcept : key_(key) {}
  [[nodiscard]] std::uint64_t next_u64() noexcept;
  /// 53 random bits scaled into [0, 1).
  [[nodiscard]] double next_unit() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

 private:
  StreamKey key_;
  std::uint64_t block_ = 0;
  std::array<std::uint64_t, 4> output_{};
  int unread_ = 0;
};

/// The keys of one step of one run; rules ask it for the streams they need.
struct StepKeys {
  MasterSeed seed{};
  std::uint64_t run_index = 0;
  std::uint64_t step = 0;
  [[nodiscard]] Stream stream(Purpose purpose, std::uint32_t actor_index = no_actor) const noexcept {
    return Stream({seed, run_index, purpose, actor_index, step});
  }
};

}  // namespace arbiter::rng
