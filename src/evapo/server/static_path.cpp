#include <algorithm>
#include <string>

#include <evapo/server/static_path.hpp>

namespace evapo::server {

namespace fs = std::filesystem;

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict: "%" must be followed by two hex digits; nullopt otherwise.
std::optional<std::string> percent_decode_path(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_digit(text[i + 1]);
    const int low = hex_digit(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace

std::optional<fs::path> resolve_static_path(const fs::path& root, std::string_view url_path) {
  const auto decoded = percent_decode_path(url_path);
  if (!decoded || decoded->find('\0') != std::string::npos ||
      decoded->find('\\') != std::string::npos) {
    return std::nullopt;
  }
  fs::path relative;
  std::string_view rest(*decoded);
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") return std::nullopt;
    if (!segment.empty() && segment != ".") relative /= std::string(segment);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::error_code ec;
  const fs::path candidate = fs::weakly_canonical(root / relative, ec);
  if (ec) return std::nullopt;
  // Symlinks inside the root must not lead out of it.
  const auto differs_at =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end()).first;
  if (differs_at != root.end()) return std::nullopt;
  return candidate;
}

}  // namespace evapo::server
