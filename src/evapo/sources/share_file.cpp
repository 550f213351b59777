#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include <evapo/sources/share_file.hpp>

namespace evapo::sources {

std::string find_share_file(const std::string& configured, const char* env_var,
                            std::string_view file_name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!configured.empty()) return fs::exists(configured, ec) ? configured : std::string{};
  if (const char* env = std::getenv(env_var); env != nullptr && *env != '\0') {
    return fs::exists(env, ec) ? std::string(env) : std::string{};
  }
  std::vector<fs::path> candidates;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "share" / "evapo" / file_name);
    candidates.push_back(exe.parent_path() / "share" / "evapo" / file_name);
  }
#ifdef EVAPO_SOURCE_TREE
  candidates.push_back(fs::path(EVAPO_SOURCE_TREE) / "share" / "evapo" / file_name);
#endif
  for (const auto& candidate : candidates) {
    if (fs::exists(candidate, ec)) return candidate.lexically_normal().string();
  }
  return {};
}

}  // namespace evapo::sources
