// Fuzzes the web root's path resolver against a real directory holding files, a subdirectory, a
// symlink inside the root and one pointing out of it: no crash, and whatever it resolves lies
// inside the root (never "..", never through the escaping link).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <unistd.h>

#include <evapo/server/static_path.hpp>

namespace fs = std::filesystem;

namespace {

fs::path g_root;

void make_root() {
  const fs::path base =
      fs::temp_directory_path() / ("evapo_fuzz_static_" + std::to_string(getpid()));
  fs::create_directories(base / "dist/assets/nested");
  std::ofstream(base / "dist/index.html") << "<!doctype html>";
  std::ofstream(base / "dist/assets/app.js") << "1";
  std::ofstream(base / "secret.txt") << "outside";
  std::error_code ec;
  fs::create_symlink(base / "secret.txt", base / "dist/out.txt", ec);
  fs::create_symlink(base, base / "dist/up", ec);
  fs::create_symlink("assets", base / "dist/inside", ec);
  g_root = fs::canonical(base / "dist");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  make_root();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url_path(reinterpret_cast<const char*>(data), size);
  const auto resolved = evapo::server::resolve_static_path(g_root, url_path);
  if (!resolved) return 0;
  const auto differs_at =
      std::mismatch(g_root.begin(), g_root.end(), resolved->begin(), resolved->end()).first;
  if (differs_at != g_root.end()) std::abort();
  for (const auto& part : *resolved) {
    if (part == "..") std::abort();
  }
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(*resolved, ec);
  if (!ec &&
      std::mismatch(g_root.begin(), g_root.end(), real.begin(), real.end()).first != g_root.end()) {
    std::abort();
  }
  return 0;
}
