#include "arbiter/rng/stream.hpp"

#include <algorithm>

#include <Random123/philox.h>

namespace arbiter::rng {

std::uint64_t Stream::next_u64() noexcept {
  using Philox = r123::Philox4x64;
  if (unread_ == 0) {
    const Philox::key_type key = {{static_cast<std::uint64_t>(key_.seed), key_.run_index}};
    const std::uint64_t purpose_and_actor =
        (static_cast<std::uint64_t>(key_.purpose) << 32) | static_cast<std::uint64_t>(key_.actor_index);
    const Philox::ctr_type counter = {{purpose_and_actor, key_.step, block_++, 0}};
    const Philox::ctr_type block = Philox{}(counter, key);
    std::copy(block.begin(), block.end(), output_.begin());
    unread_ = 4;
  }
  return output_[static_cast<std::size_t>(4 - unread_--)];
}

}  // namespace arbiter::rng
