#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/date.hpp>

namespace evapo::domain {

/// How a point's time zone was found.
enum class TimeZoneSource {
  boundary,   // the IANA zone whose boundary (territorial waters included) holds the point
  nautical,   // at sea: the nautical zone of its 15-degree longitude band, Etc/GMT+-N
  longitude,  // estimated: round(longitude / 15) h, no daylight saving (index or tz data missing)
};

/// "boundary" | "nautical" | "longitude".
std::string_view to_string(TimeZoneSource source);

/// From `from_utc_s` (Unix seconds) until the next change, local time = UTC + `offset_s`.
struct UtcOffsetChange {
  std::int64_t from_utc_s = 0;
  int offset_s = 0;
};

/// A point's time zone: an IANA name and its UTC offsets over time, daylight saving included.
/// A local calendar day of the point is the day of (UTC + the offset in force at that instant).
class TimeZone {
 public:
  /// `changes` ascending by from_utc_s and not empty; the first offset also holds before it,
  /// the last one after it.
  TimeZone(std::string name, TimeZoneSource source, std::vector<UtcOffsetChange> changes);

  /// One offset for all time (UTC, an Etc/GMT+-N zone).
  static TimeZone fixed(std::string name, TimeZoneSource source, int offset_s);

  /// The estimate round(longitude / 15) h (clamped to +-12 h), named as its Etc zone,
  /// source longitude.
  static TimeZone from_longitude(double longitude_deg);

  const std::string& name() const { return name_; }
  TimeZoneSource source() const { return source_; }
  const std::vector<UtcOffsetChange>& changes() const { return changes_; }

  /// Offset in force at the instant `utc_s` [s].
  int utc_offset_s(std::int64_t utc_s) const;

  /// The local calendar day at the instant `utc_s`, as days since 1970-01-01.
  std::int64_t local_day(std::int64_t utc_s) const;

  /// The local calendar day at `instant`.
  Date local_date(std::chrono::system_clock::time_point instant) const;

  /// First instant of the local day `date` [Unix s] (its midnight, or the end of a
  /// daylight-saving jump over midnight).
  std::int64_t day_start_utc_s(Date date) const;

  /// Whole UTC hours (hour starts) that fall in the local day `date`: 24, or 23 / 25 on a
  /// daylight-saving change.
  int hours_in_day(Date date) const;

 private:
  std::string name_;
  TimeZoneSource source_;
  std::vector<UtcOffsetChange> changes_;
};

/// Hours east of UTC of the nautical zone of the 15-degree band holding `longitude_deg`:
/// round(longitude / 15), within -12..12; 0 for a non-finite longitude.
int band_hours_east(double longitude_deg);

/// The IANA name of the fixed zone of whole hours east of UTC: "Etc/GMT" for 0, "Etc/GMT-5" for
/// +5 h (POSIX signs are inverted), "Etc/GMT+3" for -3 h.
std::string etc_zone_name(int hours_east);

}  // namespace evapo::domain
