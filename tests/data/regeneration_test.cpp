#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "arbiter/datasets/derive.hpp"
#include "arbiter/datasets/extract.hpp"

namespace fs = std::filesystem;

namespace arbiter::datasets {
namespace {

const fs::path source_dir = ARBITER_SOURCE_DIR;
const fs::path work_dir = ARBITER_TEST_WORK_DIR;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

// Every derived file written into a fresh folder equals, byte for byte, the committed one.
TEST(Regeneration, DerivedFilesEqualTheCommittedOnes) {
  const fs::path out = work_dir / "derived";
  fs::remove_all(out);
  const auto files = build_derived(source_dir / "data" / "raw");
  const auto written = write_derived(files, out);
  ASSERT_EQ(written.size(), files.size());
  for (const auto& [relative, text] : files) {
    const fs::path committed = source_dir / "scenarios" / relative;
    ASSERT_TRUE(fs::exists(committed)) << "not committed: scenarios/" << relative;
    EXPECT_EQ(read_bytes(out / relative), read_bytes(committed))
        << "stale: scenarios/" << relative << " (run `arbiter data import` and commit)";
  }
}

// No committed CSV in the derived folders that the import no longer writes.
TEST(Regeneration, NoStaleCommittedFiles) {
  const auto files = build_derived(source_dir / "data" / "raw");
  for (const char* folder : {"karabakh/data", "ethiopia-eritrea/data", "validation"}) {
    for (const auto& entry : fs::directory_iterator(source_dir / "scenarios" / folder)) {
      if (entry.path().extension() != ".csv") continue;
      const std::string relative = std::string(folder) + "/" + entry.path().filename().string();
      EXPECT_TRUE(files.contains(relative)) << "scenarios/" << relative << " is not produced by the import";
    }
  }
}

TEST(Regeneration, BuildingTwiceGivesIdenticalText) {
  EXPECT_EQ(build_derived(source_dir / "data" / "raw"), build_derived(source_dir / "data" / "raw"));
}

// data/raw itself is what the extraction from the shared data sets produces.
TEST(Regeneration, RawFilesEqualAFreshExtraction) {
  const fs::path shared = ARBITER_SHARED_DATA_DIR;
  if (!fs::is_directory(shared)) GTEST_SKIP() << "shared data sets not available at " << shared;
  const fs::path raw = work_dir / "raw";
  fs::remove_all(raw);
  const auto extracted = extract_raw(shared, raw);
  ASSERT_FALSE(extracted.empty());
  for (const auto& file : extracted) {
    EXPECT_GT(file.rows_kept, 0U) << file.file;
    EXPECT_EQ(read_bytes(raw / file.file), read_bytes(source_dir / "data" / "raw" / file.file))
        << "data/raw/" << file.file << " differs from a fresh extraction";
  }
}

}  // namespace
}  // namespace arbiter::datasets
