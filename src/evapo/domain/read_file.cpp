#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <evapo/domain/read_file.hpp>

namespace evapo::domain {

Expected<std::string> read_file(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) return fail(Error::not_found("cannot read " + path + ": " + std::strerror(errno)));
  std::string text;
  std::array<char, 1 << 16> block{};
  std::size_t got = 0;
  while ((got = std::fread(block.data(), 1, block.size(), file.get())) > 0) {
    text.append(block.data(), got);
  }
  if (std::ferror(file.get()) != 0) {
    return fail(Error::unavailable("read error in " + path + ": " + std::strerror(errno)));
  }
  return text;
}

}  // namespace evapo::domain
