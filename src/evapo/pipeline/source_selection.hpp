#pragma once

// Which sources a calculation asks, and for which days: by mode, dates and region.

#include <string>
#include <vector>

#include <evapo/domain/date.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::pipeline {

/// One source to download, with the part of the request it can serve.
struct SourcePlan {
  domain::SourceId source = domain::SourceId::nasa_power;
  domain::Date start_date{};
  domain::Date end_date{};
};

/// A source not asked, and why (shown as status "skipped").
struct SkippedSource {
  domain::SourceId source = domain::SourceId::nasa_power;
  std::string reason;
};

struct SourceSelection {
  std::vector<SourcePlan> plans;
  std::vector<SkippedSource> skipped;
};

/// NWS covers the contiguous USA box lat 24..50, lon -125..-66 (the original's box).
bool in_usa_box(double latitude_deg, double longitude_deg);
/// MET Norway has full variables (wind, precipitation, radiation) in the Nordic box
/// lat 54..71.5, lon 4..32; elsewhere temperature and humidity only.
bool in_nordic_box(double latitude_deg, double longitude_deg);

/// Open-Meteo Forecast answers up to this many past days (its past_days limit).
inline constexpr int kOpenMeteoForecastPastDays = 92;

/// Chooses sources for `request` seen from the location's `today`:
/// - NASA POWER: any day up to today (its last ~3-7 days come back missing: still asked, the
///   other sources fill them);
/// - Open-Meteo Archive: any day up to yesterday (a few days' lag, same treatment);
/// - Open-Meteo Forecast: days from today-92 to today+16; in historical/recent mode only for the
///   last 7 days, to fill the archives' lag;
/// - MET Norway: today .. today+9 (forecast mode only);
/// - NWS: today .. today+6 inside the USA box (forecast mode only).
/// request.sources, when not empty, restricts the choice (others skipped "not requested");
/// sources not enabled in `config` are skipped "disabled by EVAPO_SOURCES". Each plan's range is
/// the request's range clipped to what the source can serve.
SourceSelection select_sources(const CalculationRequest& request, domain::Date today,
                               const sources::SourcesConfig& config);

}  // namespace evapo::pipeline
