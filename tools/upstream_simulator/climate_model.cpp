#include "climate_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace evapo::sim {

namespace {

constexpr double kPi = std::numbers::pi;

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Deterministic uniform noise in [-1, 1] from a point cell, a day and a channel.
double noise(double lat, double lon, std::int64_t day, int channel, int source) {
  std::uint64_t h = splitmix(static_cast<std::uint64_t>(std::llround(lat * 4.0)) * 1000003ULL);
  h = splitmix(h ^ static_cast<std::uint64_t>(std::llround(lon * 4.0)));
  h = splitmix(h ^ static_cast<std::uint64_t>(day));
  h = splitmix(h ^ (static_cast<std::uint64_t>(channel) << 8) ^
               static_cast<std::uint64_t>(source + 1));
  return static_cast<double>(h >> 11) / static_cast<double>(1ULL << 53) * 2.0 - 1.0;
}

// Weather that all sources share (source index -1): smooth over a few days.
double weather(double lat, double lon, std::int64_t day, int channel) {
  return 0.5 * noise(lat, lon, day, channel, -1) + 0.3 * noise(lat, lon, day - 1, channel, -1) +
         0.2 * noise(lat, lon, day + 1, channel, -1);
}

double es_kpa(double t_c) {
  return 0.6108 * std::exp(17.27 * t_c / (t_c + 237.3));
}

struct Bias {
  double tmax_c, tmin_c, rh_pct, wind_factor, rs_factor, noise;
};

Bias bias_of(domain::SourceId source) {
  switch (source) {
    case domain::SourceId::nasa_power:
      return {0.4, 0.6, -3.0, 1.05, 1.04, 0.8};
    case domain::SourceId::open_meteo_archive:
      return {0.0, 0.0, 0.0, 1.0, 1.0, 0.4};
    case domain::SourceId::open_meteo_forecast:
      return {-0.2, 0.2, 2.0, 0.95, 0.98, 0.6};
    case domain::SourceId::met_norway:
      return {0.3, -0.3, 1.0, 1.1, 1.0, 0.7};
    case domain::SourceId::nws:
      return {-0.4, 0.0, -2.0, 0.9, 1.0, 0.7};
  }
  return {0, 0, 0, 1, 1, 0.5};
}

// 0 at 06 local (Tmin), 1 at 15 local (Tmax), cosine in between, back to 0 at 06 next day.
double diurnal_shape(double hour) {
  if (hour < 6.0) hour += 24.0;
  if (hour <= 15.0) return 0.5 - 0.5 * std::cos(kPi * (hour - 6.0) / 9.0);
  return 0.5 + 0.5 * std::cos(kPi * (hour - 15.0) / 15.0);
}

}  // namespace

double extraterrestrial_radiation_mj_m2(double latitude_deg, int day_of_year) {
  const double phi = latitude_deg * kPi / 180.0;
  const double j = static_cast<double>(day_of_year);
  const double dr = 1.0 + 0.033 * std::cos(2.0 * kPi * j / 365.0);      // FAO-56 Eq. 23
  const double delta = 0.409 * std::sin(2.0 * kPi * j / 365.0 - 1.39);  // FAO-56 Eq. 24
  const double ws =
      std::acos(std::clamp(-std::tan(phi) * std::tan(delta), -1.0, 1.0));  // FAO-56 Eq. 25
  const double ra =
      24.0 * 60.0 / kPi * 0.0820 * dr *
      (ws * std::sin(phi) * std::sin(delta) + std::cos(phi) * std::cos(delta) * std::sin(ws));
  return std::max(0.0, ra);
}

SimDay simulate_day(double lat, double lon, double elevation_m, domain::Date date,
                    domain::SourceId source) {
  const auto day =
      static_cast<std::int64_t>(std::chrono::sys_days{date}.time_since_epoch().count());
  const int doy = domain::day_of_year(date);
  const int s = static_cast<int>(source);
  const Bias b = bias_of(source);
  const double alat = std::abs(lat);
  const double aridity = std::exp(-std::pow((alat - 25.0) / 12.0, 2.0));
  const double phase = lat >= 0 ? doy - 196.0 : doy - 15.0;
  const double annual_mean = 27.0 - 0.004 * lat * lat - 0.15 * alat;
  const double amplitude = 0.3 * alat;
  const double tmean_true = annual_mean + amplitude * std::cos(2.0 * kPi * phase / 365.25) -
                            0.005 * std::max(0.0, elevation_m) + 2.5 * weather(lat, lon, day, 1);
  const double dtr = 8.0 + 6.0 * aridity + 2.0 * weather(lat, lon, day, 2);
  const double cloud =
      std::clamp(0.5 - 0.3 * aridity + 0.35 * weather(lat, lon, day, 3), 0.05, 0.95);
  SimDay d;
  d.tmax_c = tmean_true + dtr / 2.0 - 1.5 * cloud + b.tmax_c + b.noise * noise(lat, lon, day, 4, s);
  d.tmin_c = tmean_true - dtr / 2.0 + 1.0 * cloud + b.tmin_c + b.noise * noise(lat, lon, day, 5, s);
  if (d.tmin_c > d.tmax_c - 1.0) d.tmin_c = d.tmax_c - 1.0;
  d.tmean_c = (d.tmax_c + d.tmin_c) / 2.0;
  d.tdew_c = std::min(d.tmin_c, d.tmin_c - (0.5 + 9.0 * aridity) * (1.0 - cloud) +
                                    0.5 * noise(lat, lon, day, 6, s));
  const double ea = es_kpa(d.tdew_c);
  d.rh_max_pct = std::clamp(100.0 * ea / es_kpa(d.tmin_c) + b.rh_pct, 5.0, 100.0);
  d.rh_min_pct = std::clamp(100.0 * ea / es_kpa(d.tmax_c) + b.rh_pct, 3.0, d.rh_max_pct);
  d.rh_mean_pct = (d.rh_max_pct + d.rh_min_pct) / 2.0;
  d.wind10_m_s = std::max(
      0.3, (2.8 + 1.2 * std::abs(std::sin(lat * kPi / 90.0)) + 1.2 * weather(lat, lon, day, 7)) *
                   b.wind_factor +
               0.3 * b.noise * noise(lat, lon, day, 8, s));
  d.wind2_m_s = d.wind10_m_s * 4.87 / std::log(67.8 * 10.0 - 5.42);  // FAO-56 Eq. 47
  d.ra_mj_m2 = extraterrestrial_radiation_mj_m2(lat, doy);
  d.rs_mj_m2 = std::clamp(d.ra_mj_m2 * (0.25 + 0.5 * (1.0 - cloud)) * b.rs_factor *
                              (1.0 + 0.03 * b.noise * noise(lat, lon, day, 9, s)),
                          0.0, 0.8 * d.ra_mj_m2);
  d.cloud_pct = 100.0 * cloud;
  const double wet = weather(lat, lon, day, 10);
  d.precip_mm =
      cloud > 0.55 && wet > 0.0
          ? std::max(0.0, (cloud - 0.55) * 40.0 * wet * (1.0 + 0.2 * noise(lat, lon, day, 11, s)))
          : 0.0;
  // Hargreaves (FAO-56 Eq. 52) for the upstream ET0 comparison column.
  d.eto_mm = std::max(0.0, 0.0023 * 0.408 * d.ra_mj_m2 * (d.tmean_c + 17.8) *
                               std::sqrt(std::max(0.0, d.tmax_c - d.tmin_c)));
  return d;
}

SimHour simulate_hour(double lat, double lon, double elevation_m, std::int64_t utc_seconds,
                      int utc_offset_seconds, domain::SourceId source) {
  const std::int64_t local = utc_seconds + utc_offset_seconds;
  const std::int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  const double hour = static_cast<double>(local - day * 86400) / 3600.0;
  const domain::Date date{std::chrono::sys_days{std::chrono::days{day}}};
  const SimDay d = simulate_day(lat, lon, elevation_m, date, source);
  const double shape = diurnal_shape(hour);
  SimHour h;
  h.temp_c = d.tmin_c + (d.tmax_c - d.tmin_c) * shape;
  h.tdew_c = d.tdew_c;
  h.rh_pct = std::clamp(100.0 * es_kpa(d.tdew_c) / es_kpa(h.temp_c), 3.0, 100.0);
  h.wind10_m_s = d.wind10_m_s * (0.7 + 0.6 * shape);
  h.precip_mm = hour >= 12.0 && hour < 18.0 ? d.precip_mm / 6.0 : 0.0;
  h.cloud_pct = d.cloud_pct;
  return h;
}

}  // namespace evapo::sim
