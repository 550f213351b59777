#include <evapo/sources/fetch_request.hpp>

namespace evapo::sources {

domain::TimeZone effective_time_zone(const FetchRequest& request) {
  return request.time_zone ? *request.time_zone
                           : domain::TimeZone::from_longitude(request.location.longitude_deg);
}

}  // namespace evapo::sources
