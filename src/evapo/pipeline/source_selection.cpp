#include <algorithm>
#include <optional>

#include <evapo/pipeline/source_selection.hpp>

namespace evapo::pipeline {

using domain::add_days;
using domain::Date;
using domain::SourceId;

bool in_usa_box(double latitude_deg, double longitude_deg) {
  return latitude_deg >= 24.0 && latitude_deg <= 50.0 && longitude_deg >= -125.0 &&
         longitude_deg <= -66.0;
}

bool in_nordic_box(double latitude_deg, double longitude_deg) {
  return latitude_deg >= 54.0 && latitude_deg <= 71.5 && longitude_deg >= 4.0 &&
         longitude_deg <= 32.0;
}

namespace {

struct Window {
  Date first;
  Date last;
};

// The days a source can serve for this mode, or nullopt with the reason in `why`.
std::optional<Window> serviceable(SourceId id, const CalculationRequest& request, Date today,
                                  std::string& why) {
  const bool forecast = request.mode == Mode::forecast;
  const Date far_past{std::chrono::year{1981}, std::chrono::January, std::chrono::day{1}};
  switch (id) {
    case SourceId::nasa_power:
      if (forecast) break;
      return Window{far_past, today};
    case SourceId::open_meteo_archive:
      if (forecast) break;
      return Window{Date{std::chrono::year{1940}, std::chrono::January, std::chrono::day{1}},
                    add_days(today, -1)};
    case SourceId::open_meteo_forecast:
      if (forecast)
        return Window{add_days(today, -kOpenMeteoForecastPastDays), add_days(today, 16)};
      return Window{add_days(today, -7), today};
    case SourceId::met_norway:
      if (!forecast) break;
      return Window{today, add_days(today, 9)};
    case SourceId::nws:
      if (!in_usa_box(request.latitude_deg, request.longitude_deg)) {
        why = "NWS covers only the USA";
        return std::nullopt;
      }
      if (!forecast) break;
      return Window{today, add_days(today, 6)};
  }
  why = forecast ? "no forecast from this source" : "forecast-only source";
  return std::nullopt;
}

}  // namespace

SourceSelection select_sources(const CalculationRequest& request, Date today,
                               const sources::SourcesConfig& config) {
  SourceSelection selection;
  for (SourceId id : domain::kAllSources) {
    const bool requested =
        request.sources.empty() || std::ranges::find(request.sources, id) != request.sources.end();
    if (!requested) {
      selection.skipped.push_back({id, "not requested"});
      continue;
    }
    if (!config.is_enabled(id)) {
      selection.skipped.push_back({id, "disabled by EVAPO_SOURCES"});
      continue;
    }
    std::string why;
    const auto window = serviceable(id, request, today, why);
    if (!window) {
      selection.skipped.push_back({id, why});
      continue;
    }
    const Date first = std::max(window->first, request.start_date);
    const Date last = std::min(window->last, request.end_date);
    if (last < first) {
      selection.skipped.push_back({id, "no data for these dates"});
      continue;
    }
    selection.plans.push_back({id, first, last});
  }
  return selection;
}

}  // namespace evapo::pipeline
