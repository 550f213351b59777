#include <cmath>

#include <evapo/core/daily_reference_et.hpp>
#include <evapo/io/station_eto.hpp>

namespace evapo::io {

namespace {

core::Site site_of(const StationRow& row) {
  return core::Site{.latitude_deg = row.latitude_deg,
                    .longitude_deg = std::isnan(row.longitude_deg) ? 0.0 : row.longitude_deg,
                    .elevation_m = row.elevation_m,
                    .tz_offset_h = std::isnan(row.tz_offset_h) ? 0.0 : row.tz_offset_h};
}

core::DailyInput daily_input_of(const StationRow& row) {
  return core::DailyInput{.day_of_year = domain::day_of_year(row.date),
                          .tmax_c = row.tmax_c,
                          .tmin_c = row.tmin_c,
                          .ea_kpa = row.ea_kpa,
                          .tdew_c = row.tdew_c,
                          .rh_max_pct = row.rh_max_pct,
                          .rh_min_pct = row.rh_min_pct,
                          .rh_mean_pct = row.rh_mean_pct,
                          .wind_m_s = row.wind_m_s,
                          .wind_height_m = row.wind_height_m,
                          .rs_mj_m2 = row.rs_mj_m2,
                          .sunshine_h = row.sunshine_h,
                          .g_mj_m2 = row.g_mj_m2};
}

core::HourlyInput hourly_input_of(const StationRow& row) {
  return core::HourlyInput{.day_of_year = domain::day_of_year(row.date),
                           .clock_hour = row.minute_of_day / 60.0,
                           .t_c = row.t_c,
                           .ea_kpa = row.ea_kpa,
                           .tdew_c = row.tdew_c,
                           .rh_pct = row.rh_pct,
                           .wind_m_s = row.wind_m_s,
                           .wind_height_m = row.wind_height_m,
                           .rs_mj_m2 = row.rs_mj_m2,
                           .g_mj_m2 = row.g_mj_m2};
}

template <class Enum, std::size_t N>
std::optional<Enum> find_name(const std::pair<std::string_view, Enum> (&names)[N],
                              std::string_view name) {
  for (const auto& [text, value] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <class Enum, std::size_t N>
std::string_view name_of(const std::pair<std::string_view, Enum> (&names)[N], Enum value) {
  for (const auto& [text, each] : names) {
    if (each == value) return text;
  }
  return "";
}

constexpr std::pair<std::string_view, core::Method> kMethods[] = {
    {"fao56", core::Method::fao56},
    {"asce-short", core::Method::asce_short},
    {"asce-tall", core::Method::asce_tall},
    {"hargreaves", core::Method::hargreaves}};
constexpr std::pair<std::string_view, core::RsoModel> kRsoModels[] = {
    {"simple", core::RsoModel::simple}, {"full", core::RsoModel::full}};
constexpr std::pair<std::string_view, core::TimestampConvention> kTimestamps[] = {
    {"end", core::TimestampConvention::period_end},
    {"start", core::TimestampConvention::period_start}};
constexpr std::pair<std::string_view, core::ConstantSet> kConstants[] = {
    {"standard", core::ConstantSet::standard}, {"ref-et", core::ConstantSet::ref_et}};
constexpr std::pair<std::string_view, Timestep> kTimesteps[] = {{"daily", Timestep::daily},
                                                                {"hourly", Timestep::hourly}};

}  // namespace

StationEtoCalculator::StationEtoCalculator(Timestep timestep, const core::EtoOptions& options)
    : timestep_(timestep), options_(options) {}

core::EtoResult StationEtoCalculator::next(const StationRow& row) {
  const core::Site site = site_of(row);
  if (timestep_ == Timestep::daily) return core::compute_daily(daily_input_of(row), site, options_);
  const SiteKey key{site.latitude_deg, site.longitude_deg, site.elevation_m, site.tz_offset_h};
  auto it = calculators_.find(key);
  if (it == calculators_.end())
    it = calculators_.emplace(key, core::HourlyCalculator(site, options_)).first;
  return it->second.next(hourly_input_of(row));
}

std::string_view to_string(core::Method method) {
  return name_of(kMethods, method);
}
std::string_view to_string(core::RsoModel rso) {
  return name_of(kRsoModels, rso);
}
std::string_view to_string(core::TimestampConvention timestamp) {
  return name_of(kTimestamps, timestamp);
}
std::string_view to_string(core::ConstantSet constants) {
  return name_of(kConstants, constants);
}
std::string_view to_string(Timestep timestep) {
  return name_of(kTimesteps, timestep);
}

std::optional<core::Method> parse_method(std::string_view name) {
  return find_name(kMethods, name);
}
std::optional<core::RsoModel> parse_rso(std::string_view name) {
  return find_name(kRsoModels, name);
}
std::optional<core::TimestampConvention> parse_timestamp(std::string_view name) {
  return find_name(kTimestamps, name);
}
std::optional<core::ConstantSet> parse_constants(std::string_view name) {
  return find_name(kConstants, name);
}
std::optional<Timestep> parse_timestep(std::string_view name) {
  return find_name(kTimesteps, name);
}

}  // namespace evapo::io
