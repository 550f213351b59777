#include <evapo/domain/source_id.hpp>

namespace evapo::domain {

std::string_view to_string(SourceId id) {
  switch (id) {
    case SourceId::nasa_power:
      return "nasa_power";
    case SourceId::open_meteo_archive:
      return "open_meteo_archive";
    case SourceId::open_meteo_forecast:
      return "open_meteo_forecast";
    case SourceId::met_norway:
      return "met_norway";
    case SourceId::nws:
      return "nws";
  }
  return "nasa_power";
}

std::optional<SourceId> parse_source_id(std::string_view text) {
  for (SourceId id : kAllSources) {
    if (to_string(id) == text) return id;
  }
  return std::nullopt;
}

}  // namespace evapo::domain
