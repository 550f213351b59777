#include <array>

#include <evapo/io/station_columns.hpp>

namespace evapo::io {

namespace {

// Bounds of the physically possible, not of the plausible: air temperature beyond the world's
// records with a margin, humidity within 0-100 %, radiation up to the top-of-atmosphere value
// (FAO-56 Eq. 21 peaks near 49 MJ m-2 d-1 at a pole; Gsc = 4.92 MJ m-2 h-1).
constexpr double kTempMinC = -100.0;
constexpr double kTempMaxC = 70.0;
constexpr double kSiteElevationMinM = -500.0;
constexpr double kSiteElevationMaxM = 9000.0;

constexpr std::array kSiteColumns = {
    StationColumn{"latitude_deg", &StationRow::latitude_deg, -90.0, 90.0,
                  "latitude, degrees north"},
    StationColumn{"longitude_deg", &StationRow::longitude_deg, -180.0, 180.0,
                  "longitude, degrees east"},
    StationColumn{"elevation_m", &StationRow::elevation_m, kSiteElevationMinM, kSiteElevationMaxM,
                  "station elevation above sea level, m"},
    StationColumn{"wind_height_m", &StationRow::wind_height_m, 0.5, 100.0,
                  "anemometer height above ground, m"},
    StationColumn{"tz_offset_h", &StationRow::tz_offset_h, -12.0, 14.0,
                  "local standard time minus UTC, hours"},
};

constexpr std::array kDailyHumidityColumns = {
    StationColumn{"rh_max_pct", &StationRow::rh_max_pct, 0.0, 100.0,
                  "maximum relative humidity, %"},
    StationColumn{"rh_min_pct", &StationRow::rh_min_pct, 0.0, 100.0,
                  "minimum relative humidity, %"},
    StationColumn{"rh_mean_pct", &StationRow::rh_mean_pct, 0.0, 100.0, "mean relative humidity, %"},
};

template <std::size_t A, std::size_t B, std::size_t C>
constexpr auto join(const std::array<StationColumn, A>& a, const std::array<StationColumn, B>& b,
                    const std::array<StationColumn, C>& c) {
  std::array<StationColumn, A + B + C> out{};
  std::size_t i = 0;
  for (const auto& column : a) out[i++] = column;
  for (const auto& column : b) out[i++] = column;
  for (const auto& column : c) out[i++] = column;
  return out;
}

constexpr std::array kDailyOwnColumns = {
    StationColumn{"tdew_c", &StationRow::tdew_c, kTempMinC, kTempMaxC, "dew-point temperature, °C"},
    StationColumn{"ea_kpa", &StationRow::ea_kpa, 0.0, 35.0, "actual vapour pressure, kPa"},
    StationColumn{"tmax_c", &StationRow::tmax_c, kTempMinC, kTempMaxC,
                  "maximum air temperature, °C"},
    StationColumn{"tmin_c", &StationRow::tmin_c, kTempMinC, kTempMaxC,
                  "minimum air temperature, °C"},
    StationColumn{"tmean_c", &StationRow::tmean_c, kTempMinC, kTempMaxC,
                  "mean air temperature, °C"},
    StationColumn{"rs_mj_m2", &StationRow::rs_mj_m2, 0.0, 50.0, "solar radiation, MJ m-2 d-1"},
    StationColumn{"sunshine_h", &StationRow::sunshine_h, 0.0, 24.0, "bright sunshine, hours"},
    StationColumn{"wind_m_s", &StationRow::wind_m_s, 0.0, 100.0,
                  "mean wind speed at wind_height_m, m/s"},
    StationColumn{"g_mj_m2", &StationRow::g_mj_m2, -50.0, 50.0, "soil heat flux, MJ m-2 d-1"},
};

constexpr std::array kHourlyOwnColumns = {
    StationColumn{"t_c", &StationRow::t_c, kTempMinC, kTempMaxC, "mean air temperature, °C"},
    StationColumn{"rh_pct", &StationRow::rh_pct, 0.0, 100.0, "mean relative humidity, %"},
    StationColumn{"tdew_c", &StationRow::tdew_c, kTempMinC, kTempMaxC, "dew-point temperature, °C"},
    StationColumn{"ea_kpa", &StationRow::ea_kpa, 0.0, 35.0, "actual vapour pressure, kPa"},
    StationColumn{"rs_mj_m2", &StationRow::rs_mj_m2, 0.0, 5.0, "solar radiation, MJ m-2 h-1"},
    StationColumn{"wind_m_s", &StationRow::wind_m_s, 0.0, 100.0,
                  "mean wind speed at wind_height_m, m/s"},
    StationColumn{"g_mj_m2", &StationRow::g_mj_m2, -5.0, 5.0, "soil heat flux, MJ m-2 h-1"},
};

constexpr auto kDailyColumns = join(kDailyOwnColumns, kDailyHumidityColumns, kSiteColumns);
constexpr auto kHourlyColumns =
    join(kHourlyOwnColumns, std::array<StationColumn, 0>{}, kSiteColumns);

}  // namespace

std::span<const StationColumn> daily_columns() {
  return kDailyColumns;
}

std::span<const StationColumn> hourly_columns() {
  return kHourlyColumns;
}

std::span<const StationColumn> station_columns(Timestep timestep) {
  return timestep == Timestep::daily ? daily_columns() : hourly_columns();
}

const StationColumn* find_station_column(Timestep timestep, std::string_view name) {
  for (const auto& column : station_columns(timestep)) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

}  // namespace evapo::io
