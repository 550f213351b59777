// Fuzzes what the server reads from a request target: the path, query parameters (percent
// decoding) and the resume position of a live stream. No crash; a value written
// percent-encoded into a query reads back as it was; an accepted position is >= 0 and reads
// back from its own decimal form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <evapo/server/query_string.hpp>

namespace {

std::string percent_encode(std::string_view bytes) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : bytes) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 0x0f];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace evapo::server;
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const std::string_view path = target_path(target);
  if (target.substr(0, path.size()) != path || path.find('?') != std::string_view::npos) {
    std::abort();
  }
  for (const char* name : {"since", "status", "limit", "cursor", ""}) {
    if (query_parameter(target, name).size() > target.size()) std::abort();
  }
  if (const auto position = parse_resume_position(target)) {
    if (*position < 0) std::abort();
    if (parse_resume_position(std::to_string(*position)) != position) std::abort();
  }
  if (const auto since = parse_resume_position(query_parameter(target, "since"))) {
    if (*since < 0) std::abort();
  }
  const std::string built = "/api/v1/tasks?status=x&cursor=" + percent_encode(target) + "&limit=5";
  if (query_parameter(built, "cursor") != target) std::abort();
  if (percent_decode(percent_encode(target)) != target) std::abort();
  return 0;
}
