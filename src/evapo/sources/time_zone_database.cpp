#include <chrono>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <date/tz.h>

#include <evapo/sources/time_zone_database.hpp>

namespace evapo::sources {

namespace {

constexpr std::int64_t kFirstUtcS = 0;           // 1970-01-01
constexpr std::int64_t kUntilUtcS = 2145916800;  // 2038-01-01

domain::Expected<const date::time_zone*> find_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error& error) {
    // locate_zone says "... not found" for an unknown name; anything else is a missing database.
    const std::string what = error.what();
    if (what.find("not found") != std::string::npos) {
      return domain::fail(domain::Error::not_found("time zone " + std::string(name) +
                                                   " is not in the system tz database"));
    }
    return domain::fail(
        domain::Error::unavailable("system tz database (/usr/share/zoneinfo) unusable: " + what));
  }
}

domain::Expected<std::vector<domain::UtcOffsetChange>> offsets_of(const date::time_zone& zone) {
  try {
    std::vector<domain::UtcOffsetChange> changes;
    date::sys_seconds at{std::chrono::seconds{kFirstUtcS}};
    const date::sys_seconds until{std::chrono::seconds{kUntilUtcS}};
    while (at < until) {
      const date::sys_info info = zone.get_info(at);
      const int offset_s = static_cast<int>(info.offset.count());
      if (changes.empty()) {
        changes.push_back({std::numeric_limits<std::int64_t>::min(), offset_s});
      } else if (changes.back().offset_s != offset_s) {
        changes.push_back({at.time_since_epoch().count(), offset_s});
      }
      if (info.end <= at) break;
      at = info.end;
    }
    return changes;
  } catch (const std::exception& error) {
    return domain::fail(
        domain::Error::unavailable(std::string("system tz database: ") + error.what()));
  }
}

}  // namespace

domain::Expected<domain::TimeZone> load_time_zone(std::string_view name,
                                                  domain::TimeZoneSource source) {
  static std::mutex mutex;
  static std::map<std::string, std::vector<domain::UtcOffsetChange>, std::less<>> loaded;
  {
    const std::lock_guard lock(mutex);
    if (auto it = loaded.find(name); it != loaded.end()) {
      return domain::TimeZone(std::string(name), source, it->second);
    }
  }
  auto zone = find_zone(name);
  if (!zone) return domain::fail(zone.error());
  auto changes = offsets_of(**zone);
  if (!changes) return domain::fail(changes.error());
  const std::lock_guard lock(mutex);
  loaded.emplace(std::string(name), *changes);
  return domain::TimeZone(std::string(name), source, std::move(*changes));
}

std::string time_zone_abbreviation(std::string_view name, std::int64_t utc_s) {
  auto zone = find_zone(name);
  if (!zone) return {};
  try {
    return (*zone)->get_info(date::sys_seconds{std::chrono::seconds{utc_s}}).abbrev;
  } catch (const std::exception&) {
    return {};  // the zone file became unreadable: no abbreviation, as for an unknown zone
  }
}

}  // namespace evapo::sources
