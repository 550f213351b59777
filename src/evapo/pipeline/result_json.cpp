#include <cmath>
#include <variant>

#include <nlohmann/json.hpp>

#include <evapo/domain/source_id.hpp>
#include <evapo/pipeline/calculation.hpp>

namespace evapo::pipeline {

namespace {

// Missing is null, never 0; three decimals are far below any input's accuracy.
nlohmann::json number(double value) {
  if (domain::is_missing(value) || !std::isfinite(value)) return nullptr;
  return std::round(value * 1000.0) / 1000.0;
}

nlohmann::json warnings_json(const std::vector<Warning>& warnings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& w : warnings) out.push_back(to_json(w));
  return out;
}

}  // namespace

nlohmann::json to_json(const Warning& warning) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& param : warning.params) {
    std::visit([&params, &param](const auto& v) { params[param.first] = v; }, param.second);
  }
  return {{"code", warning.code}, {"params", std::move(params)}, {"message", warning.message}};
}

nlohmann::json to_json(const CalculationResult& result) {
  nlohmann::json days = nlohmann::json::array();
  for (const auto& day : result.days) {
    nlohmann::json sources = nlohmann::json::array();
    for (auto id : day.sources) sources.push_back(domain::to_string(id));
    days.push_back({
        {"date", domain::format_iso_date(day.date)},
        {"eto_mm", number(day.eto_mm)},
        {"eto_sd_mm", number(day.eto_sd_mm)},
        {"quality", to_string(day.quality)},
        {"quality_reasons", day.quality_reasons},
        {"sources", std::move(sources)},
        {"flags", day.flags},
        {"tmax_c", number(day.tmax_c)},
        {"tmin_c", number(day.tmin_c)},
        {"rh_mean_pct", number(day.rh_mean_pct)},
        {"u2_m_s", number(day.u2_m_s)},
        {"rs_mj_m2", number(day.rs_mj_m2)},
        {"precip_mm", number(day.precip_mm)},
        {"p_minus_eto_mm", number(day.p_minus_eto_mm)},
        {"upstream_eto_mm", number(day.upstream_eto_mm)},
    });
  }
  return {
      {"location",
       {{"latitude", result.location.latitude_deg},
        {"longitude", result.location.longitude_deg},
        {"elevation_m", result.location.elevation_m ? number(*result.location.elevation_m)
                                                    : nlohmann::json(nullptr)},
        {"elevation_source", result.elevation_source},
        {"time_zone", result.time_zone},
        {"time_zone_source", domain::to_string(result.time_zone_source)},
        {"utc_offset_seconds", result.utc_offset_seconds}}},
      {"warnings", warnings_json(result.warnings)},
      {"days", std::move(days)},
  };
}

}  // namespace evapo::pipeline
