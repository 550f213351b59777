#pragma once

// Runs the evapo binary in a shell with files for stdin, stdout and stderr, and returns what it
// wrote and its exit code.

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

namespace evapo::cli_test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string shell_quote(const std::string& arg) {
  std::string quoted = "'";
  for (const char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

/// A scratch directory unique to this process and call.
inline std::filesystem::path scratch_dir() {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::path(::testing::TempDir()) /
             ("evapo_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  return dir;
}

/// Runs `evapo <args>` from the source tree root with `stdin_text` on stdin.
inline RunResult run_evapo(const std::vector<std::string>& args,
                           const std::string& stdin_text = "") {
  const auto dir = scratch_dir();
  write_file(dir / "stdin", stdin_text);
  std::string command = "cd " + shell_quote(EVAPO_SOURCE_DIR) + " && " +
                        shell_quote(std::string(EVAPO_BINARY_DIR) + "/apps/evapo/evapo");
  for (const auto& arg : args) command += " " + shell_quote(arg);
  command += " <" + shell_quote((dir / "stdin").string()) + " >" +
             shell_quote((dir / "stdout").string()) + " 2>" +
             shell_quote((dir / "stderr").string());
  const int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(dir / "stdout");
  result.err = read_file(dir / "stderr");
  std::filesystem::remove_all(dir);
  return result;
}

/// Splits CSV output that has no quoted fields into lines of fields.
inline std::vector<std::vector<std::string>> simple_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
      const auto comma = line.find(',', start);
      fields.push_back(line.substr(start, comma == std::string::npos ? comma : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

/// Index of `name` in a header row; fails the test when absent.
inline std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

}  // namespace evapo::cli_test
