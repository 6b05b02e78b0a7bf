// libFuzzer target for the scenario front-end: parse_yaml + check_document with the real
// field tables. Built with -fsanitize=fuzzer when ARBITER_BUILD_FUZZERS=ON (clang); in
// normal test builds the same entry point is driven by a small main() that replays every
// file in tests/fuzz/corpus/, so past crashers stay fixed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "arbiter/scenario/checker.hpp"
#include "arbiter/scenario/yaml_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = arbiter::scenario::parse_yaml(text, "fuzz.yaml");
  if (parsed.root) {
    // A directory that does not exist: series references must fail cleanly, never read real files.
    (void)arbiter::scenario::check_document(*parsed.root, arbiter::scenario::scenario_root_spec(), "fuzz.yaml",
                                            "/nonexistent-arbiter-fuzz-dir");
  }
  return 0;
}

#ifndef ARBITER_LIBFUZZER
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

// Replays the corpus; fails if any input takes longer than the interactive bound of 2 s.
int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: scenario_fuzz_replay CORPUS_DIR\n";
    return 2;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  int slow = 0;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::clock_t start = std::clock();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    if (seconds > 2.0) {
      std::cerr << file << ": took " << seconds << " s\n";
      ++slow;
    }
  }
  std::cout << "replayed " << files.size() << " inputs\n";
  return files.empty() || slow > 0 ? 1 : 0;
}
#endif
