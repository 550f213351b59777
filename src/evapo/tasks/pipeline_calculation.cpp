#include <cmath>

#include <evapo/tasks/pipeline_calculation.hpp>

namespace evapo::tasks {

nlohmann::json success_summary(const pipeline::CalculationResult& result) {
  int with_eto = 0;
  double total_mm = 0.0;
  for (const auto& day : result.days) {
    if (std::isnan(day.eto_mm)) continue;
    ++with_eto;
    total_mm += day.eto_mm;
  }
  nlohmann::json summary{{"latitude", result.location.latitude_deg},
                         {"longitude", result.location.longitude_deg},
                         {"start_date", nullptr},
                         {"end_date", nullptr},
                         {"days", result.days.size()},
                         {"days_with_eto", with_eto},
                         {"eto_total_mm", nullptr},
                         {"eto_mean_mm", nullptr}};
  if (!result.days.empty()) {
    summary["start_date"] = domain::format_iso_date(result.days.front().date);
    summary["end_date"] = domain::format_iso_date(result.days.back().date);
  }
  if (with_eto > 0) {
    summary["eto_total_mm"] = total_mm;
    summary["eto_mean_mm"] = total_mm / with_eto;
  }
  return summary;
}

nlohmann::json success_data(const pipeline::CalculationResult& result) {
  nlohmann::json json = pipeline::to_json(result);
  nlohmann::json data{{"results", nlohmann::json::array()},
                      {"warnings", nlohmann::json::array()},
                      {"location", nlohmann::json::object()}};
  if (auto days = json.find("days"); days != json.end()) data["results"] = std::move(*days);
  if (auto warnings = json.find("warnings"); warnings != json.end()) {
    data["warnings"] = std::move(*warnings);
  }
  if (auto location = json.find("location"); location != json.end()) {
    data["location"] = std::move(*location);
  }
  data["summary"] = success_summary(result);
  return data;
}

CalculationFn pipeline_calculation(std::shared_ptr<const pipeline::PipelineContext> context) {
  return [context = std::move(context)](
             const pipeline::CalculationRequest& request, pipeline::ProgressSink& sink,
             const pipeline::RunControl& control) -> domain::Expected<nlohmann::json> {
    auto result = pipeline::run_calculation(request, *context, sink, control);
    if (!result) return domain::fail(std::move(result.error()));
    return success_data(*result);
  };
}

}  // namespace evapo::tasks
