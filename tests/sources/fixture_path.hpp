#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include <evapo/domain/time_zone.hpp>

namespace evapo::sources::test {

/// Contents of shared/fixtures/weather/<name>; throws when absent.
inline std::string read_fixture(const std::string& name) {
  const std::string path = std::string(EVAPO_SHARED_DIR) + "/fixtures/weather/" + name;
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("missing fixture " + path);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

inline domain::Date day(int y, unsigned m, unsigned d) {
  return domain::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

/// A zone with one UTC offset for all time, for parsers checked at a fixed offset.
inline domain::TimeZone utc_plus(int offset_s) {
  return domain::TimeZone::fixed("fixed", domain::TimeZoneSource::boundary, offset_s);
}

}  // namespace evapo::sources::test
