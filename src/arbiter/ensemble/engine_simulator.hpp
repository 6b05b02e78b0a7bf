#pragma once

#include "arbiter/engine/engine.hpp"
#include "arbiter/ensemble/simulator.hpp"

namespace arbiter::ensemble {

/// The engine seen through the ensemble's interface. Holds a reference: the Engine must
/// outlive it.
class EngineSimulator final : public Simulator {
 public:
  explicit EngineSimulator(const engine::Engine& engine) : engine_(engine) {}
  [[nodiscard]] const engine::OutputCatalog& catalog() const override { return engine_.catalog(); }
  void simulate(rng::MasterSeed seed, std::uint64_t run_index, engine::RunResult& out) const override {
    engine_.simulate(seed, run_index, out);
  }

 private:
  const engine::Engine& engine_;
};

}  // namespace arbiter::ensemble
