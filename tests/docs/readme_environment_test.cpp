// README.md documents every EVAPO_* environment variable the code reads, and nothing else:
// the server's config keys (EVAPO_ + key), the names C++ code reads (string literals outside
// comments), what the scripts read ($EVAPO_X / ${EVAPO_X...}) and what the web app and its tools
// read (process.env.EVAPO_X, import.meta.env.VITE_EVAPO_X).

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include <evapo/server/config.hpp>

namespace evapo {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// C++ text without its comments (a name in a comment is not read).
std::string without_comments(const std::string& code) {
  static const std::regex kComments(R"(//[^\n]*|/\*[\s\S]*?\*/)");
  return std::regex_replace(code, kComments, "");
}

void collect(const std::string& text, const std::regex& pattern, std::set<std::string>& names) {
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    names.insert((*it)[1].str());
  }
}

std::set<std::string> names_in_code() {
  const fs::path root = EVAPO_SOURCE_DIR;
  std::set<std::string> names;
  for (const auto& name : server::config_environment_names()) names.insert(name);
  const std::regex cpp_literal(R"re("(EVAPO_[A-Z0-9_]+)")re");
  const std::regex shell_read(R"(\$\{?(EVAPO_[A-Z0-9_]+))");
  const std::regex js_read(R"((?:process\.env|import\.meta\.env)\.((?:VITE_)?EVAPO_[A-Z0-9_]+))");
  const auto walk = [&](const fs::path& dir, auto&& on_file) {
    if (!fs::exists(dir)) return;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file() &&
          entry.path().string().find("node_modules") == std::string::npos) {
        on_file(entry.path());
      }
    }
  };
  for (const char* dir : {"src", "apps", "tools", "bench", "tests/support"}) {
    walk(root / dir, [&](const fs::path& path) {
      const auto ext = path.extension();
      if (ext == ".cpp" || ext == ".hpp" || ext == ".in") {
        collect(without_comments(read_file(path)), cpp_literal, names);
      } else if (ext == ".sh") {
        collect(read_file(path), shell_read, names);
      }
    });
  }
  walk(root / "scripts",
       [&](const fs::path& path) { collect(read_file(path), shell_read, names); });
  for (const char* dir : {"web/src", "web/e2e", "web/tools"}) {
    walk(root / dir, [&](const fs::path& path) {
      const auto ext = path.extension();
      if (ext == ".ts" || ext == ".mjs" || ext == ".js") collect(read_file(path), js_read, names);
    });
  }
  collect(read_file(root / "web/vite.config.ts"), js_read, names);
  return names;
}

std::set<std::string> names_in_readme() {
  const std::string readme = read_file(fs::path(EVAPO_SOURCE_DIR) / "README.md");
  const auto start = readme.find("## Environment variables");
  EXPECT_NE(start, std::string::npos) << "README.md has no 'Environment variables' section";
  if (start == std::string::npos) return {};
  const auto end = readme.find("\n## ", start + 1);
  const std::string section = readme.substr(start, end == std::string::npos ? end : end - start);
  std::set<std::string> names;
  collect(section, std::regex(R"(\n\| `((?:VITE_)?EVAPO_[A-Z0-9_]+)` \|)"), names);
  return names;
}

TEST(Readme, DocumentsEveryEnvironmentVariableTheCodeReads) {
  const auto code = names_in_code();
  const auto readme = names_in_readme();
  // The scan must see the variables of each kind, or it proves nothing.
  for (const char* known : {"EVAPO_PORT", "EVAPO_NASA_POWER_URL", "EVAPO_FUZZ_SECONDS", "EVAPO_BIN",
                            "VITE_EVAPO_TILE_URL", "EVAPO_DEV_BACKEND"}) {
    EXPECT_TRUE(code.contains(known)) << known;
  }
  std::set<std::string> undocumented;
  std::set<std::string> unread;
  for (const auto& name : code) {
    if (!readme.contains(name)) undocumented.insert(name);
  }
  for (const auto& name : readme) {
    if (!code.contains(name)) unread.insert(name);
  }
  EXPECT_TRUE(undocumented.empty())
      << "read by the code, missing from README.md: " << ::testing::PrintToString(undocumented);
  EXPECT_TRUE(unread.empty()) << "in README.md, read by no code: "
                              << ::testing::PrintToString(unread);
}

}  // namespace
}  // namespace evapo
