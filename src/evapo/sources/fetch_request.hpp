#pragma once

#include <functional>
#include <optional>
#include <string>

#include <evapo/domain/date.hpp>
#include <evapo/domain/location.hpp>
#include <evapo/domain/weather_day.hpp>

namespace evapo::sources {

/// What to download: a point and an inclusive range of its local calendar days.
struct FetchRequest {
  domain::Location location;
  domain::Date start_date{};
  domain::Date end_date{};
  /// Offset of the local days; when unknown, sources use round(longitude / 15) hours
  /// (see longitude_utc_offset_seconds). Open-Meteo reports its own (timezone=auto).
  std::optional<int> utc_offset_seconds;
};

/// A nautical-time-zone estimate of the UTC offset: round(longitude / 15) hours, in seconds.
int longitude_utc_offset_seconds(double longitude_deg);

/// The offset to use for `request`: its own when given, else the longitude estimate.
int effective_utc_offset_seconds(const FetchRequest& request);

/// Download progress of one source, for the pipeline's per-source status.
struct SourceFetchStatus {
  domain::SourceId source = domain::SourceId::nasa_power;
  std::string state;    // "downloading" | "retrying" | "done" | "failed" | "skipped"
  std::string message;  // e.g. "HTTP 429, retry 2 in 1.0 s" or the failure reason
};

/// Called while sources download; fetch_sources serialises the calls (never concurrent).
using SourceStatusCallback = std::function<void(const SourceFetchStatus&)>;

}  // namespace evapo::sources
