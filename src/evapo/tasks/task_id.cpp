#include <array>
#include <cerrno>
#include <cstdint>
#include <random>
#include <sys/random.h>

#include <evapo/tasks/task_id.hpp>

namespace evapo::tasks {

std::string new_task_id() {
  std::array<std::uint8_t, 16> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    // Blocks only until the kernel's pool is first initialised, at boot.
    const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got > 0) {
      filled += static_cast<std::size_t>(got);
    } else if (errno != EINTR) {
      std::random_device device;  // non-deterministic too; only if getrandom is missing
      while (filled < bytes.size()) bytes[filled++] = static_cast<std::uint8_t>(device());
    }
  }
  std::string id(32, '0');
  constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    id[2 * i] = kHex[bytes[i] >> 4];
    id[2 * i + 1] = kHex[bytes[i] & 0x0f];
  }
  return id;
}

bool is_task_id(std::string_view text) {
  if (text.size() != 32) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace evapo::tasks
