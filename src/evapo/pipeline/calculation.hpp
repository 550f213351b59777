#pragma once

// The contract between the calculation pipeline and everything that runs it (the `calc` CLI,
// the task workers of `evapo serve`). Implemented in calculation.cpp.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <evapo/core/options.hpp>
#include <evapo/domain/date.hpp>
#include <evapo/domain/error.hpp>
#include <evapo/domain/location.hpp>
#include <evapo/domain/time_zone.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/pipeline/warning.hpp>

namespace evapo::pipeline {

enum class Mode { historical, recent, forecast };

/// Whether a dataset calculation also fetches the public sources for the station's point and
/// dates, to report station vs gridded ETo.
enum class Comparison { none, public_sources };

/// A task that computes the reference ET of an uploaded station dataset (issue 14) with
/// `evapo eto`'s options, instead of running this pipeline.
struct DatasetCalculation {
  std::string dataset_id;
  core::EtoOptions eto;
  Comparison comparison = Comparison::none;
};

/// What a user asks for. Dates are local calendar days of the location, inclusive.
struct CalculationRequest {
  double latitude_deg = 0.0;
  double longitude_deg = 0.0;
  domain::Date start_date{};
  domain::Date end_date{};
  Mode mode = Mode::historical;
  std::vector<domain::SourceId> sources;  // empty: chosen automatically by mode, dates, region
  std::optional<double> elevation_m;      // user-given elevation overrides any lookup
  bool allow_sea = false;                 // calculate even over the sea (never graded high)
  /// Set for a station dataset's calculation (the point and dates above are the dataset's).
  std::optional<DatasetCalculation> dataset;
};

/// Download state of one source, as shown to the user while a calculation runs.
struct SourceStatus {
  domain::SourceId source = domain::SourceId::nasa_power;
  std::string state;    // "pending" | "downloading" | "cached" | "done" | "failed" | "skipped"
  std::string message;  // human detail, e.g. the failure reason
};

/// One progress report. `step` is a stable key (see kSteps); `progress` is 0-100.
struct Progress {
  std::string step;
  int progress = 0;
  int current_step = 0;
  int total_steps = 0;
  std::string message;
  std::vector<SourceStatus> sources;
};

/// The steps every calculation goes through, in order (current_step = index + 1).
inline constexpr const char* kSteps[] = {"validating",    "elevation", "downloading",
                                         "preprocessing", "fusing",    "computing_eto",
                                         "finalizing"};
inline constexpr int kTotalSteps = 7;

/// Where the pipeline reports progress. Calls are serialised (never concurrent) but may come from
/// the pipeline's download threads as well as the calculating thread; must not block long.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void report(const Progress& progress) = 0;
};

/// Cooperative cancellation and deadline, checked between steps and during downloads.
struct RunControl {
  const std::atomic<bool>* cancelled = nullptr;  // set to true by another thread to stop
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

enum class Quality { high, medium, low };

/// One local day of the answer.
struct DailyResult {
  domain::Date date{};
  double eto_mm = domain::kMissing;
  double eto_sd_mm = domain::kMissing;
  Quality quality = Quality::low;
  std::vector<std::string> quality_reasons;
  std::vector<domain::SourceId> sources;  // sources that contributed to this day
  std::vector<std::string> flags;         // fallbacks used (e.g. "rs_from_temperature")
  double tmax_c = domain::kMissing;
  double tmin_c = domain::kMissing;
  double rh_mean_pct = domain::kMissing;
  double u2_m_s = domain::kMissing;
  double rs_mj_m2 = domain::kMissing;
  double precip_mm = domain::kMissing;
  double p_minus_eto_mm = domain::kMissing;
  double upstream_eto_mm = domain::kMissing;  // Open-Meteo's own ET0, comparison only
};

struct CalculationResult {
  domain::Location location;     // elevation resolved
  std::string elevation_source;  // "user" | "open_meteo" | "etopo20"
  std::string time_zone;         // IANA name of the zone the days are local to
  domain::TimeZoneSource time_zone_source = domain::TimeZoneSource::longitude;
  int utc_offset_seconds = 0;  // the zone's offset at the start of the first requested day
  std::vector<DailyResult> days;
  std::vector<Warning> warnings;  // e.g. each source that failed and why (warning.hpp)
};

/// "historical" | "recent" | "forecast"; and back (nullopt for anything else).
const char* to_string(Mode mode);
std::optional<Mode> parse_mode(std::string_view text);

/// "high" | "medium" | "low".
const char* to_string(Quality quality);

/// Limits of what may be asked.
struct RequestLimits {
  int max_historical_days = 366;  // longest historical span, inclusive day count
  domain::Date earliest_date =
      domain::Date{std::chrono::year{1990}, std::chrono::January, std::chrono::day{1}};
};

/// The recent windows a user may ask for, in days ending today.
inline constexpr int kRecentWindowDays[] = {7, 14, 21, 30};
/// Forecast covers today .. today + kForecastDays.
inline constexpr int kForecastDays = 5;

/// A point's time zone, and why it is only an estimate when it is one.
struct PointTimeZone {
  domain::TimeZone zone;
  std::optional<Warning> warning;  // set when `zone` is the longitude estimate
};

/// The point's time zone (sources::locate_time_zone: the boundary index at `index_path`, empty =
/// the default search, and the system tz database). When either is missing: the longitude
/// estimate round(lon / 15) h without daylight saving, with a warning saying why. A non-finite
/// coordinate counts as 0.
PointTimeZone point_time_zone(double latitude_deg, double longitude_deg,
                              const std::string& index_path = {});

/// The local calendar day at the point at `now`, in its time zone (point_time_zone).
domain::Date local_today(
    double latitude_deg, double longitude_deg,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

/// A request for `mode` with its dates filled from `today`: recent = the `days` (7/14/21/30)
/// ending today, forecast = today .. today+5. Historical dates are not derivable (returns the
/// request with start = end = yesterday).
CalculationRequest request_for_mode(double latitude_deg, double longitude_deg, Mode mode, int days,
                                    domain::Date today);

/// Field-level problems of `request` against the mode/date rules, seen from the location's
/// `today` (empty = valid): latitude/longitude ranges, historical 1990-01-01 .. yesterday and at
/// most limits.max_historical_days, recent = 7/14/21/30 days ending today, forecast = today ..
/// at most today+5 (recent/forecast accept one day of slack: a client may compute its dates in
/// its own zone, or just before midnight),
/// elevation -500..9000 m. Fields named as in the JSON request: "latitude", "longitude",
/// "start_date", "end_date", "mode", "elevation_m".
std::vector<domain::ErrorDetail> validate(const CalculationRequest& request, domain::Date today,
                                          const RequestLimits& limits = {});

/// validate() with today = local_today(request.latitude_deg, request.longitude_deg).
std::vector<domain::ErrorDetail> validate(const CalculationRequest& request);

/// The result as JSON: {"location": {latitude, longitude, elevation_m, elevation_source,
/// time_zone, time_zone_source, utc_offset_seconds}, "warnings": [{code, params: {name: value},
/// message}], "days": [{date, eto_mm, eto_sd_mm, quality, quality_reasons, sources, flags, tmax_c,
/// tmin_c, rh_mean_pct, u2_m_s, rs_mj_m2, precip_mm, p_minus_eto_mm, upstream_eto_mm}]}. Missing
/// numbers are null (never 0).
nlohmann::json to_json(const CalculationResult& result);

/// {code, params: {name: value}, message}: one warning as the result's JSON writes it.
nlohmann::json to_json(const Warning& warning);

struct PipelineContext;  // pipeline_context.hpp: sources config, HTTP client, cache, clock

/// Runs the whole calculation: validate (and, when the context has land polygons, refuse a
/// point over the sea unless allow_sea: over_sea.hpp) -> elevation -> download (cache first, the
/// rest in parallel) -> preprocess per source -> fuse -> ETo -> result, reporting each step to
/// `progress`. Errors: invalid_argument (with details) for a bad request, unavailable when no
/// source delivered any usable day (message lists each source's reason), cancelled, timeout
/// (deadline passed; returns within ~100 ms of it).
domain::Expected<CalculationResult> run_calculation(const CalculationRequest& request,
                                                    const PipelineContext& context,
                                                    ProgressSink& progress,
                                                    const RunControl& control = {});

}  // namespace evapo::pipeline
