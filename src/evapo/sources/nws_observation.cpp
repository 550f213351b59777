#include <nlohmann/json.hpp>

#include <evapo/sources/iso_time.hpp>
#include <evapo/sources/json_guard.hpp>
#include <evapo/sources/nws_observation.hpp>
#include <evapo/sources/units.hpp>

namespace evapo::sources {

namespace {

using Json = nlohmann::json;

// The value of a {"unitCode","value"} member converted by its unit; NaN when null or unknown.
double quantity(const Json& properties, const char* name) {
  if (!properties.contains(name) || !properties[name].is_object()) return domain::kMissing;
  const Json& q = properties[name];
  if (!q.contains("value") || !q["value"].is_number()) return domain::kMissing;
  const double v = q["value"].get<double>();
  const std::string unit =
      q.contains("unitCode") && q["unitCode"].is_string() ? q["unitCode"].get<std::string>()
      : q.contains("unit") && q["unit"].is_string()       ? q["unit"].get<std::string>()
                                                          : std::string{};
  const UnitConverter convert = wmo_unit_converter(unit);
  return convert == nullptr ? domain::kMissing : convert(v);
}

}  // namespace

domain::Expected<NwsObservation> parse_nws_observation(std::string_view body) {
  return parse_guarded("nws", [&]() -> domain::Expected<NwsObservation> {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("properties") ||
        !json["properties"].is_object()) {
      return domain::fail(domain::Error::upstream("nws: observation is not a JSON feature"));
    }
    const Json& p = json["properties"];
    const auto time = p.contains("timestamp") && p["timestamp"].is_string()
                          ? parse_iso_utc_seconds(p["timestamp"].get<std::string>())
                          : std::nullopt;
    if (!time)
      return domain::fail(domain::Error::upstream("nws: observation without a valid timestamp"));
    NwsObservation observation;
    observation.station = p.value("station", "");
    observation.time_utc_s = *time;
    observation.temp_c = quantity(p, "temperature");
    observation.tdew_c = quantity(p, "dewpoint");
    observation.rh_pct = quantity(p, "relativeHumidity");
    observation.wind_m_s = quantity(p, "windSpeed");
    observation.pressure_kpa = quantity(p, "barometricPressure");
    const double precip_m = quantity(p, "precipitationLast6Hours");
    observation.precip_last_6h_mm = m_to_mm(precip_m);
    observation.elevation_m = quantity(p, "elevation");
    return observation;
  });
}

}  // namespace evapo::sources
