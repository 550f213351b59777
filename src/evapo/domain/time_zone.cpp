#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <evapo/domain/time_zone.hpp>

namespace evapo::domain {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t days_since_epoch(Date date) {
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

}  // namespace

std::string_view to_string(TimeZoneSource source) {
  switch (source) {
    case TimeZoneSource::boundary:
      return "boundary";
    case TimeZoneSource::nautical:
      return "nautical";
    case TimeZoneSource::longitude:
      return "longitude";
  }
  return "longitude";
}

TimeZone::TimeZone(std::string name, TimeZoneSource source, std::vector<UtcOffsetChange> changes)
    : name_(std::move(name)), source_(source), changes_(std::move(changes)) {
  if (changes_.empty()) changes_.push_back({std::numeric_limits<std::int64_t>::min(), 0});
}

TimeZone TimeZone::fixed(std::string name, TimeZoneSource source, int offset_s) {
  return TimeZone(std::move(name), source, {{std::numeric_limits<std::int64_t>::min(), offset_s}});
}

TimeZone TimeZone::from_longitude(double longitude_deg) {
  const int whole_hours = band_hours_east(longitude_deg);
  return fixed(etc_zone_name(whole_hours), TimeZoneSource::longitude,
               whole_hours * static_cast<int>(kHour));
}

int TimeZone::utc_offset_s(std::int64_t utc_s) const {
  const auto after = std::upper_bound(
      changes_.begin(), changes_.end(), utc_s,
      [](std::int64_t t, const UtcOffsetChange& change) { return t < change.from_utc_s; });
  return after == changes_.begin() ? changes_.front().offset_s : std::prev(after)->offset_s;
}

std::int64_t TimeZone::local_day(std::int64_t utc_s) const {
  return floor_div(utc_s + utc_offset_s(utc_s), kDay);
}

Date TimeZone::local_date(std::chrono::system_clock::time_point instant) const {
  const auto utc_s = std::chrono::floor<std::chrono::seconds>(instant).time_since_epoch().count();
  return Date{std::chrono::sys_days{std::chrono::days{local_day(utc_s)}}};
}

std::int64_t TimeZone::day_start_utc_s(Date date) const {
  // Offsets lie within -12 h .. +14 h, so the day starts inside this window; local days do not
  // go backwards in time, so a bisection finds the first instant of the day.
  const std::int64_t day = days_since_epoch(date);
  std::int64_t lo = day * kDay - 26 * kHour;  // local day < `day`
  std::int64_t hi = day * kDay + 26 * kHour;  // local day >= `day`
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (local_day(mid) >= day ? hi : lo) = mid;
  }
  return hi;
}

int TimeZone::hours_in_day(Date date) const {
  const auto first_hour = [&](Date d) { return floor_div(day_start_utc_s(d) + kHour - 1, kHour); };
  return static_cast<int>(first_hour(add_days(date, 1)) - first_hour(date));
}

int band_hours_east(double longitude_deg) {
  if (!std::isfinite(longitude_deg)) return 0;
  return static_cast<int>(std::clamp(std::round(longitude_deg / 15.0), -12.0, 12.0));
}

std::string etc_zone_name(int hours_east) {
  if (hours_east == 0) return "Etc/GMT";
  return std::string("Etc/GMT") + (hours_east > 0 ? "-" : "+") +
         std::to_string(std::abs(hours_east));
}

}  // namespace evapo::domain
