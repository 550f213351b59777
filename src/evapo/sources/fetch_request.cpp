#include <algorithm>
#include <cmath>

#include <evapo/sources/fetch_request.hpp>

namespace evapo::sources {

int longitude_utc_offset_seconds(double longitude_deg) {
  const double hours = std::clamp(std::round(longitude_deg / 15.0), -12.0, 12.0);
  return static_cast<int>(hours) * 3600;
}

int effective_utc_offset_seconds(const FetchRequest& request) {
  return request.utc_offset_seconds.value_or(
      longitude_utc_offset_seconds(request.location.longitude_deg));
}

}  // namespace evapo::sources
