#include <map>
#include <mutex>
#include <vector>

#include <evapo/domain/read_file.hpp>
#include <evapo/sources/share_file.hpp>
#include <evapo/sources/time_zone_database.hpp>
#include <evapo/sources/time_zone_lookup.hpp>

namespace evapo::sources {

namespace {

domain::Expected<core::TimeZoneIndex> load_index(const std::string& path) {
  const auto bytes = domain::read_file(path);
  if (!bytes) {
    return domain::fail(
        domain::Error{bytes.error().code, "time-zone index: " + bytes.error().message, {}});
  }
  auto index = core::TimeZoneIndex::decode(
      {reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()});
  if (!index) {
    return domain::fail(domain::Error{index.error().code, path + ": " + index.error().message, {}});
  }
  return index;
}

}  // namespace

std::string find_time_zone_index_path(const std::string& configured) {
  return find_share_file(configured, "EVAPO_TIME_ZONES_PATH", "time_zones.bin");
}

domain::Expected<std::shared_ptr<const core::TimeZoneIndex>> shared_time_zone_index(
    const std::string& configured) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const core::TimeZoneIndex>> loaded;    // by file
  static std::map<std::string, std::shared_ptr<const core::TimeZoneIndex>> resolved;  // by arg
  {
    const std::lock_guard lock(mutex);
    if (auto it = resolved.find(configured); it != resolved.end()) return it->second;
  }
  const std::string path = find_time_zone_index_path(configured);
  if (path.empty()) {
    return domain::fail(domain::Error::not_found(
        configured.empty() ? "time-zone index time_zones.bin not found (set EVAPO_TIME_ZONES_PATH)"
                           : "time-zone index not found at " + configured));
  }
  const std::lock_guard lock(mutex);
  if (auto it = loaded.find(path); it != loaded.end()) return resolved[configured] = it->second;
  auto index = load_index(path);
  if (!index) return domain::fail(index.error());
  auto shared = std::make_shared<const core::TimeZoneIndex>(std::move(*index));
  loaded[path] = shared;
  resolved[configured] = shared;
  return shared;
}

domain::Expected<domain::TimeZone> locate_time_zone(double latitude_deg, double longitude_deg,
                                                    const std::string& index_path) {
  auto index = shared_time_zone_index(index_path);
  if (!index) return domain::fail(index.error());
  const core::ZoneMatch match = (*index)->zone_at(latitude_deg, longitude_deg);
  return load_time_zone(match.name, match.source);
}

}  // namespace evapo::sources
