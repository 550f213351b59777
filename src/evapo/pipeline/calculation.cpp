#include <algorithm>
#include <cmath>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <spdlog/spdlog.h>

#include <evapo/domain/source_id.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/pipeline/daily_fusion.hpp>
#include <evapo/pipeline/over_sea.hpp>
#include <evapo/pipeline/pipeline_context.hpp>
#include <evapo/pipeline/source_selection.hpp>
#include <evapo/sources/elevation.hpp>
#include <evapo/sources/fetch_sources.hpp>

namespace evapo::pipeline {

using domain::Error;
using domain::Expected;
using domain::fail;
using domain::SourceId;

namespace {

enum class Step {
  validating,
  elevation,
  downloading,
  preprocessing,
  fusing,
  computing,
  finalizing
};
constexpr int kStepPercent[] = {5, 10, 20, 70, 80, 90, 100};

// Keeps the per-source statuses and re-emits the current step whenever one changes.
// Download threads call it concurrently, hence the mutex.
class ProgressReporter {
 public:
  explicit ProgressReporter(ProgressSink& sink) : sink_(sink) {
    for (SourceId id : domain::kAllSources) statuses_.push_back({id, "pending", ""});
  }

  void step(Step step, std::string message, int percent = -1) {
    const auto index = static_cast<std::size_t>(step);
    std::lock_guard lock(mutex_);
    current_.step = kSteps[index];
    current_.current_step = static_cast<int>(index) + 1;
    current_.total_steps = kTotalSteps;
    current_.progress = percent >= 0 ? percent : kStepPercent[index];
    current_.message = std::move(message);
    emit();
  }

  void source(SourceId id, std::string state, std::string message) {
    std::lock_guard lock(mutex_);
    auto& status = statuses_[static_cast<std::size_t>(id)];
    status.state = std::move(state);
    status.message = std::move(message);
    emit();
  }

  // Downloading progress: 20 % + 40 % x finished / total.
  void downloaded(int finished, int total) {
    std::lock_guard lock(mutex_);
    if (total > 0)
      current_.progress =
          kStepPercent[static_cast<std::size_t>(Step::downloading)] + 40 * finished / total;
    emit();
  }

 private:
  void emit() {
    current_.sources = statuses_;
    sink_.report(current_);
  }

  ProgressSink& sink_;
  std::mutex mutex_;
  Progress current_;
  std::vector<SourceStatus> statuses_;
};

std::optional<Error> stop_reason(const RunControl& control) {
  if (control.cancelled != nullptr && control.cancelled->load()) {
    return Error::cancelled("calculation cancelled");
  }
  if (std::chrono::steady_clock::now() >= control.deadline) {
    return Error::timeout("calculation deadline passed");
  }
  return std::nullopt;
}

struct ElevationChoice {
  double elevation_m = 0.0;
  std::string source;
};

// The elevation and its warnings, which depend only on the choice so that a cached elevation
// warns exactly as a fresh lookup.
ElevationChoice resolve_elevation(const CalculationRequest& request, const PipelineContext& context,
                                  const sources::FetchControl& fetch_control,
                                  std::chrono::system_clock::time_point now,
                                  std::optional<double> sea_km, std::vector<Warning>& warnings) {
  if (request.elevation_m) return {*request.elevation_m, "user"};
  const double lat = request.latitude_deg;
  const double lon = request.longitude_deg;
  auto chosen = [&](double elevation_m, std::string source, bool below_sea_level) {
    if (source == "etopo20") warnings.push_back(warning::elevation_offline());
    // Over the sea the depth says nothing new.
    if (below_sea_level && !sea_km) warnings.push_back(warning::elevation_below_sea_level());
    return ElevationChoice{elevation_m, std::move(source)};
  };
  if (context.cache) {
    if (auto cached = context.cache->get_elevation(lat, lon, now); cached && *cached) {
      return chosen((*cached)->elevation_m, (*cached)->source, (*cached)->over_sea);
    }
  }
  auto resolved = sources::resolve_elevation(domain::Location{lat, lon, std::nullopt},
                                             context.sources, *context.http, fetch_control);
  if (!resolved) {
    warnings.push_back(warning::elevation_unknown());
    return {0.0, "assumed"};
  }
  if (context.cache) {
    // The calculation does not need the cache: a failed write costs the next one a lookup.
    if (auto put = context.cache->put_elevation(
            lat, lon, {resolved->elevation_m, resolved->source, resolved->over_sea}, now);
        !put) {
      spdlog::warn("elevation at ({}, {}) not cached: {}", lat, lon, put.error().message);
    }
  }
  return chosen(resolved->elevation_m, resolved->source, resolved->over_sea);
}

struct Download {
  SourcePlan plan;
  domain::WeatherSeries series;
  std::optional<Error> error;  // set when the source failed
  bool cached = false;         // every day from the cache
  // What is downloaded: the plan's range, or only the part the cache lacks.
  domain::Date fetch_start{};
  domain::Date fetch_end{};
  std::vector<domain::WeatherDay> cached_days;  // fresh days outside [fetch_start, fetch_end]
};

// The downloaded days and the cached ones, in date order.
void merge_cached_days(Download& download) {
  if (download.cached_days.empty()) return;
  auto& days = download.series.days;
  days.insert(days.end(), download.cached_days.begin(), download.cached_days.end());
  std::sort(days.begin(), days.end(), [](const domain::WeatherDay& a, const domain::WeatherDay& b) {
    return a.date < b.date;
  });
}

void download_all(std::vector<Download>& downloads, const CalculationRequest& request,
                  double elevation_m, const PipelineContext& context,
                  const sources::FetchControl& fetch_control, const domain::TimeZone& zone,
                  domain::Date today, std::chrono::system_clock::time_point now,
                  ProgressReporter& progress) {
  const domain::Location location{request.latitude_deg, request.longitude_deg, elevation_m};
  std::vector<std::size_t> to_fetch;
  int finished = 0;
  const int total = static_cast<int>(downloads.size());
  for (std::size_t i = 0; i < downloads.size(); ++i) {
    auto& download = downloads[i];
    download.fetch_start = download.plan.start_date;
    download.fetch_end = download.plan.end_date;
    if (context.cache) {
      const storage::CacheQuery query{download.plan.source, request.latitude_deg,
                                      request.longitude_deg, download.plan.start_date,
                                      download.plan.end_date};
      auto found = context.cache->lookup(query, now);
      if (found && !found->to_download) {
        download.series = std::move(found->series);
        download.series.source = download.plan.source;
        download.cached = true;
        progress.source(download.plan.source, "cached", "from the local cache");
        progress.downloaded(++finished, total);
        continue;
      }
      if (found) {
        std::tie(download.fetch_start, download.fetch_end) = *found->to_download;
        download.cached_days = std::move(found->series.days);
      }
    }
    to_fetch.push_back(i);
  }
  std::mutex finished_mutex;
  std::vector<std::thread> threads;
  threads.reserve(to_fetch.size());
  for (std::size_t index : to_fetch) {
    const auto& planned = downloads[index];
    const int cached_count = static_cast<int>(planned.cached_days.size());
    progress.source(planned.plan.source, "downloading",
                    cached_count > 0 ? std::to_string(cached_count) + " days already cached" : "");
    threads.emplace_back([&, index] {
      auto& download = downloads[index];
      const sources::FetchRequest fetch{location, download.fetch_start, download.fetch_end, zone};
      const SourceId id = download.plan.source;
      auto fetched = sources::fetch_source(
          id, fetch, context.sources, *context.http, fetch_control,
          [&progress, id](const sources::TransferEvent& event) {
            if (event.kind == sources::TransferEvent::Kind::retrying) {
              progress.source(id, "downloading", "retrying: " + event.message);
            }
          });
      if (fetched) {
        download.series = std::move(*fetched);
        progress.source(id, "done", std::to_string(download.series.days.size()) + " days");
      } else {
        download.error = fetched.error();
        progress.source(id, "failed", fetched.error().message);
      }
      std::lock_guard lock(finished_mutex);
      progress.downloaded(++finished, total);
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t index : to_fetch) {
    auto& download = downloads[index];
    if (download.error) continue;
    if (context.cache) {
      const storage::CacheQuery query{download.plan.source, request.latitude_deg,
                                      request.longitude_deg, download.fetch_start,
                                      download.fetch_end};
      if (auto put = context.cache->put(query, download.series, today, now); !put) {
        spdlog::warn("{} days at ({}, {}) not cached: {}", domain::to_string(query.source),
                     query.latitude_deg, query.longitude_deg, put.error().message);
      }
    }
    merge_cached_days(download);
  }
}

// "<source>: <message>", without doubling a prefix the sources layer already added.
std::string about(const std::string& name, const std::string& message) {
  if (message.starts_with(name + ":")) return message;
  return name + ": " + message;
}

bool has_any_value(const domain::WeatherSeries& series) {
  for (const auto& day : series.days) {
    if (!domain::is_missing(day.tmax_c) || !domain::is_missing(day.tmin_c)) return true;
  }
  return false;
}

}  // namespace

Expected<CalculationResult> run_calculation(const CalculationRequest& request,
                                            const PipelineContext& context, ProgressSink& sink,
                                            const RunControl& control) {
  ProgressReporter progress(sink);
  progress.step(Step::validating, "checking the request");
  if (context.http == nullptr) return fail(Error::internal("pipeline context has no HTTP client"));
  const auto now = context.clock();
  const PointTimeZone point_zone =
      point_time_zone(request.latitude_deg, request.longitude_deg, context.sources.time_zones_path);
  const domain::Date today = point_zone.zone.local_date(now);
  if (auto details = validate(request, today, context.limits); !details.empty()) {
    std::string message = "invalid request: ";
    for (std::size_t i = 0; i < details.size(); ++i) {
      message += (i > 0 ? "; " : "") + details[i].field + ": " + details[i].reason;
    }
    return fail(Error::invalid_argument(std::move(message), std::move(details)));
  }
  // Refused over the sea unless allowed; when allowed, how far from land it is.
  std::optional<double> sea_km;
  if (context.land) {
    if (auto refusal = over_sea_refusal(request, *context.land)) return fail(*refusal);
    if (request.allow_sea) {
      sea_km = sea_distance_km(request.latitude_deg, request.longitude_deg, *context.land);
    }
  }
  const auto selection = select_sources(request, today, context.sources);
  for (const auto& skipped : selection.skipped) {
    progress.source(skipped.source, "skipped", skipped.reason);
  }
  if (selection.plans.empty()) {
    return fail(Error::invalid_argument(
        "no weather source can serve this request",
        {{"sources", "none of the requested sources covers this mode, region and dates"}}));
  }
  const sources::FetchControl fetch_control{control.cancelled, control.deadline};
  if (auto stop = stop_reason(control)) return fail(*stop);

  CalculationResult result;
  result.location = {request.latitude_deg, request.longitude_deg, std::nullopt};
  result.time_zone = point_zone.zone.name();
  result.time_zone_source = point_zone.zone.source();
  result.utc_offset_seconds =
      point_zone.zone.utc_offset_s(point_zone.zone.day_start_utc_s(request.start_date));
  if (point_zone.warning) result.warnings.push_back(*point_zone.warning);
  if (sea_km) result.warnings.push_back(warning::over_sea(*sea_km));
  progress.step(Step::elevation, "resolving the elevation");
  const auto elevation =
      resolve_elevation(request, context, fetch_control, now, sea_km, result.warnings);
  result.location.elevation_m = elevation.elevation_m;
  result.elevation_source = elevation.source;
  if (auto stop = stop_reason(control)) return fail(*stop);

  progress.step(Step::downloading, "downloading weather data");
  std::vector<Download> downloads;
  for (const auto& plan : selection.plans) {
    Download download;
    download.plan = plan;
    downloads.push_back(std::move(download));
  }
  download_all(downloads, request, elevation.elevation_m, context, fetch_control, point_zone.zone,
               today, now, progress);
  if (auto stop = stop_reason(control)) return fail(*stop);

  progress.step(Step::preprocessing, "cleaning each source");
  std::vector<PreparedSource> prepared;
  std::string failures;
  for (auto& download : downloads) {
    const SourceId id = download.plan.source;
    const std::string name(domain::to_string(id));
    if (download.error) {
      const std::string reason = about(name, download.error->message).substr(name.size() + 2);
      result.warnings.push_back(warning::source_failed(id, reason));
      if (!failures.empty()) failures += "; ";
      failures.append(name).append(": ").append(reason);
      continue;
    }
    const auto& series = download.series;
    for (const auto& note : series.warnings) {
      result.warnings.push_back(
          warning::source_notice(id, about(name, note).substr(name.size() + 2)));
    }
    if (!has_any_value(series)) {
      result.warnings.push_back(warning::source_no_data(id));
      failures += (failures.empty() ? "" : "; ") + name + ": no usable days";
      continue;
    }
    for (auto& w : coverage_warnings(series, download.plan.start_date, download.plan.end_date)) {
      result.warnings.push_back(std::move(w));
    }
    core::QcOptions qc;
    qc.elevation_m = elevation.elevation_m;
    prepared.push_back(
        prepare_source(series, request.start_date, request.end_date, request.latitude_deg, qc));
    if (prepared.back().qc.rejected_values > 0) {
      result.warnings.push_back(
          warning::source_values_discarded(id, prepared.back().qc.rejected_values));
    }
  }
  if (prepared.empty()) {
    return fail(Error::unavailable("no weather source delivered data: " + failures));
  }
  if (auto stop = stop_reason(control)) return fail(*stop);

  progress.step(Step::fusing, "fusing the sources");
  const auto fusion_context = core::fusion_context(request.latitude_deg, request.longitude_deg,
                                                   request.mode == Mode::forecast);
  FusionSettings settings;
  settings.priors = context.priors ? context.priors(fusion_context)
                                   : core::FusionPriors::defaults(fusion_context);
  const auto fused = fuse_sources(prepared, settings);
  if (auto stop = stop_reason(control)) return fail(*stop);

  progress.step(Step::computing, "computing ETo");
  const core::Site site{request.latitude_deg, request.longitude_deg, elevation.elevation_m,
                        static_cast<double>(result.utc_offset_seconds) / 3600.0};
  result.days = compute_results(fused, site);
  if (sea_km) {
    // Weather over water is not a grass field's: such a day is never better than low.
    for (auto& day : result.days) {
      day.quality = Quality::low;
      day.quality_reasons.emplace_back("over_sea");
    }
  }

  progress.step(Step::finalizing, "done");
  return result;
}

}  // namespace evapo::pipeline
