// Compiled by tests/domain/CMakeLists.txt, not linked: dropping an Expected must not compile
// under -Werror (the [[nodiscard]] on domain::Expected), keeping it must.
#include <evapo/domain/error.hpp>

namespace {

evapo::domain::Expected<int> parse_count(int raw) {
  if (raw < 0) return evapo::domain::fail(evapo::domain::Error::invalid_argument("negative"));
  return raw;
}

}  // namespace

int count_or_zero(int raw) {
#ifdef EVAPO_KEEP_RESULT
  auto count = parse_count(raw);
  return count ? *count : 0;
#else
  parse_count(raw);  // the error, if any, is lost
  return 0;
#endif
}
