#pragma once

#include <functional>
#include <optional>
#include <string>

#include <evapo/domain/date.hpp>
#include <evapo/domain/location.hpp>
#include <evapo/domain/time_zone.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::sources {

/// What to download: a point and an inclusive range of its local calendar days.
struct FetchRequest {
  domain::Location location;
  domain::Date start_date{};
  domain::Date end_date{};
  /// The point's time zone, whose local days the hourly sources are grouped into and Open-Meteo
  /// is asked for; when absent, the longitude estimate (domain::TimeZone::from_longitude).
  std::optional<domain::TimeZone> time_zone;
};

/// The time zone to use for `request`: its own when given, else the longitude estimate.
domain::TimeZone effective_time_zone(const FetchRequest& request);

/// Download progress of one source, for the pipeline's per-source status.
struct SourceFetchStatus {
  domain::SourceId source = domain::SourceId::nasa_power;
  std::string state;    // "downloading" | "retrying" | "done" | "failed" | "skipped"
  std::string message;  // e.g. "HTTP 429, retry 2 in 1.0 s" or the failure reason
};

/// Called while sources download; fetch_sources serialises the calls (never concurrent).
using SourceStatusCallback = std::function<void(const SourceFetchStatus&)>;

}  // namespace evapo::sources
