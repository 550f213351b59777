#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <evapo/server/access_policy.hpp>
#include <evapo/server/task_capability.hpp>
#include <evapo/tasks/task_id.hpp>

namespace evapo::server {

namespace {

constexpr std::size_t kMinKeyBytes = 16;

// 16 random bytes per id, from the kernel's CSPRNG.
std::string random_key() {
  return tasks::new_task_id() + tasks::new_task_id();
}

}  // namespace

TaskCapability::TaskCapability(std::string key)
    : key_(key.empty() ? random_key() : std::move(key)) {}

std::string TaskCapability::token_for(std::string_view task_id) const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  const std::string message = "cancel:" + std::string(task_id);
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &length);
  std::string hex;
  constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    hex += kDigits[mac[i] >> 4];
    hex += kDigits[mac[i] & 0x0f];
  }
  return hex;
}

bool TaskCapability::allows_cancel(std::string_view task_id, std::string_view token) const {
  return secrets_equal(token, token_for(task_id));
}

domain::Expected<std::string> load_or_create_task_key(const std::string& data_dir) {
  const auto path = (std::filesystem::path(data_dir) / "task_token.key").string();
  // O_EXCL: two servers starting at once on one data dir agree on the file that won.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const std::string key = random_key() + "\n";
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) {
      std::filesystem::remove(path);
      return domain::fail(domain::Error::unavailable("cannot write " + path));
    }
  } else if (errno != EEXIST) {
    return domain::fail(
        domain::Error::unavailable("cannot create " + path + ": " + std::strerror(errno)));
  }
  std::ifstream in(path);
  if (!in) return domain::fail(domain::Error::unavailable("cannot read " + path));
  std::string key;
  std::getline(in, key);
  if (key.size() < kMinKeyBytes) {
    return domain::fail(domain::Error::invalid_argument(
        path + " holds fewer than 16 characters; delete it to have a new key made"));
  }
  return key;
}

}  // namespace evapo::server
