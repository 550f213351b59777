#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include <evapo/domain/read_file.hpp>

namespace evapo::domain {
namespace {

namespace fs = std::filesystem;

fs::path scratch_path(const std::string& name) {
  return fs::temp_directory_path() / ("evapo_read_file_" + std::to_string(::getpid()) + name);
}

TEST(ReadFile, ReturnsEveryByteOfAFileLargerThanOneBlock) {
  const fs::path path = scratch_path("_large.bin");
  std::string written;
  for (int i = 0; i < 200'000; ++i) written.push_back(static_cast<char>(i * 7 % 256));
  std::ofstream(path, std::ios::binary) << written;
  const auto read = read_file(path.string());
  fs::remove(path);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, written);
}

TEST(ReadFile, ReadsAnEmptyFileAsEmpty) {
  const fs::path path = scratch_path("_empty.txt");
  std::ofstream{path};
  const auto read = read_file(path.string());
  fs::remove(path);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->empty());
}

TEST(ReadFile, ReadsAProcFileWhoseSizeIsNotKnownInAdvance) {
  const auto status = read_file("/proc/self/status");
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_NE(status->find("VmRSS:"), std::string::npos);
}

TEST(ReadFile, AMissingFileIsNotFoundAndNamesThePath) {
  const auto read = read_file("no/such/dir/file.csv");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::not_found);
  EXPECT_EQ(read.error().message, "cannot read no/such/dir/file.csv: No such file or directory");
}

TEST(ReadFile, ADirectoryIsAReadErrorNotAnEmptyFile) {
  const auto read = read_file(fs::temp_directory_path().string());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::unavailable);
  EXPECT_NE(read.error().message.find("Is a directory"), std::string::npos);
}

}  // namespace
}  // namespace evapo::domain
