#include <cerrno>
#include <cstdint>
#include <random>
#include <sys/random.h>
#include <vector>

#include <evapo/domain/random_id.hpp>

namespace evapo::domain {

std::string random_hex(std::size_t bytes) {
  std::vector<std::uint8_t> random(bytes);
  std::size_t filled = 0;
  while (filled < bytes) {
    // Blocks only until the kernel's pool is first initialised, at boot.
    const ssize_t got = getrandom(random.data() + filled, bytes - filled, 0);
    if (got > 0) {
      filled += static_cast<std::size_t>(got);
    } else if (errno != EINTR) {
      std::random_device device;  // non-deterministic too; only if getrandom is missing
      while (filled < bytes) random[filled++] = static_cast<std::uint8_t>(device());
    }
  }
  constexpr char kHex[] = "0123456789abcdef";
  std::string text(2 * bytes, '0');
  for (std::size_t i = 0; i < bytes; ++i) {
    text[2 * i] = kHex[random[i] >> 4];
    text[2 * i + 1] = kHex[random[i] & 0x0f];
  }
  return text;
}

bool is_lower_hex(std::string_view text, std::size_t digits) {
  if (text.size() != digits) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace evapo::domain
