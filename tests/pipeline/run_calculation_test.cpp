#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <support/upstream_simulator.hpp>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/pipeline/pipeline_context.hpp>
#include <evapo/sources/land_mask.hpp>
#include <evapo/sources/time_zone_database.hpp>

namespace evapo::pipeline {
namespace {

using domain::SourceId;
using namespace std::chrono_literals;

constexpr double kLat = -22.7;  // Piracicaba
constexpr double kLon = -47.6;

class RecordingSink final : public ProgressSink {
 public:
  void report(const Progress& progress) override {
    std::lock_guard lock(mutex_);
    reports.push_back(progress);
  }
  std::vector<std::string> steps() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& r : reports) {
      if (out.empty() || out.back() != r.step) out.push_back(r.step);
    }
    return out;
  }
  std::string final_state(SourceId id) {
    std::lock_guard lock(mutex_);
    return reports.empty() ? "" : reports.back().sources[static_cast<std::size_t>(id)].state;
  }
  std::vector<Progress> reports;

 private:
  std::mutex mutex_;
};

class RunCalculation : public ::testing::Test {
 protected:
  RunCalculation()
      : today_(local_today(kLat, kLon)),
        sim_(testing::UpstreamSimulator::Options{.latency_ms = 0,
                                                 .replay_fixtures = false,
                                                 .today = domain::format_iso_date(today_),
                                                 .extra_args = {}}) {
    config_ = sim_.sources_config();
    config_.request_timeout = 500ms;
    config_.max_attempts = 2;
    config_.backoff_base = 10ms;
    config_.backoff_max = 20ms;
    auto options = sources::http_options_from(config_);
    options.max_retry_after = 1s;  // a longer Retry-After fails the source instead of waiting
    options.rate_limits.clear();
    http_ = std::make_unique<sources::HttpClient>(options);
    context_.sources = config_;
    context_.http = http_.get();
  }

  CalculationRequest historical(int days) const {
    CalculationRequest r;
    r.latitude_deg = kLat;
    r.longitude_deg = kLon;
    r.mode = Mode::historical;
    r.end_date = domain::add_days(today_, -40);
    r.start_date = domain::add_days(r.end_date, -(days - 1));
    return r;
  }

  // True when a warning has `code` (and, when given, names `source`).
  static bool has_warning(const CalculationResult& result, const std::string& code,
                          const std::string& source = "") {
    return std::any_of(result.warnings.begin(), result.warnings.end(), [&](const Warning& w) {
      if (w.code != code) return false;
      if (source.empty()) return true;
      return std::any_of(w.params.begin(), w.params.end(), [&](const auto& param) {
        return param.first == "source" && std::get<std::string>(param.second) == source;
      });
    });
  }

  domain::Date today_;
  testing::UpstreamSimulator sim_;
  sources::SourcesConfig config_;
  std::unique_ptr<sources::HttpClient> http_;
  PipelineContext context_;
};

TEST_F(RunCalculation, HistoricalFusesBothReanalysesAndReportsEveryStep) {
  RecordingSink sink;
  auto result = run_calculation(historical(30), context_, sink);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->days.size(), 30U);
  int high = 0;
  for (const auto& day : result->days) {
    EXPECT_FALSE(domain::is_missing(day.eto_mm)) << domain::format_iso_date(day.date);
    EXPECT_GT(day.eto_sd_mm, 0.0);
    EXPECT_EQ(day.sources.size(), 2U);
    if (day.quality == Quality::high) ++high;
  }
  EXPECT_GT(high, 15);
  EXPECT_EQ(result->time_zone, "America/Sao_Paulo");
  EXPECT_EQ(result->time_zone_source, domain::TimeZoneSource::boundary);
  EXPECT_EQ(result->utc_offset_seconds, -10800);
  EXPECT_EQ(result->elevation_source, "open_meteo");
  EXPECT_FALSE(has_warning(*result, "source_failed"));
  EXPECT_EQ(sink.steps(),
            (std::vector<std::string>{"validating", "elevation", "downloading", "preprocessing",
                                      "fusing", "computing_eto", "finalizing"}));
  EXPECT_EQ(sink.reports.back().progress, 100);
  EXPECT_EQ(sink.reports.back().total_steps, kTotalSteps);
  EXPECT_EQ(sink.final_state(SourceId::nasa_power), "done");
  EXPECT_EQ(sink.final_state(SourceId::nws), "skipped");
  const auto json = to_json(*result);
  EXPECT_EQ(json.at("days").size(), 30U);
}

TEST_F(RunCalculation, IdenticalSecondRequestMakesNoUpstreamCall) {
  auto cache = storage::open_weather_cache("sqlite://:memory:");
  ASSERT_TRUE(cache);
  context_.cache = *cache;
  NullProgressSink quiet;
  auto first = run_calculation(historical(30), context_, quiet);
  ASSERT_TRUE(first) << first.error().message;
  const auto before = sim_.stats()["requests"];
  EXPECT_GT(before.value("nasa_power", 0), 0);
  RecordingSink sink;
  auto second = run_calculation(historical(30), context_, sink);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(sim_.stats()["requests"], before);
  EXPECT_EQ(sink.final_state(SourceId::nasa_power), "cached");
  EXPECT_EQ(sink.final_state(SourceId::open_meteo_archive), "cached");
  ASSERT_EQ(second->days.size(), first->days.size());
  for (std::size_t i = 0; i < first->days.size(); ++i) {
    EXPECT_DOUBLE_EQ(second->days[i].eto_mm, first->days[i].eto_mm);
  }
}

TEST_F(RunCalculation, ALongerPeriodDownloadsOnlyTheDaysTheCacheLacks) {
  auto cache = storage::open_weather_cache("sqlite://:memory:");
  ASSERT_TRUE(cache);
  context_.cache = *cache;
  NullProgressSink quiet;
  CalculationRequest shorter = historical(30);
  auto first = run_calculation(shorter, context_, quiet);
  ASSERT_TRUE(first) << first.error().message;
  // Ten more days at the end: only those are asked of each source.
  CalculationRequest longer = shorter;
  longer.end_date = domain::add_days(shorter.end_date, 10);
  const domain::Date first_new_day = domain::add_days(shorter.end_date, 1);
  RecordingSink sink;
  auto second = run_calculation(longer, context_, sink);
  ASSERT_TRUE(second) << second.error().message;
  const auto targets = sim_.stats()["last_target"];
  const std::string iso = domain::format_iso_date(first_new_day);
  std::string compact = iso;
  std::erase(compact, '-');
  EXPECT_NE(targets.value("nasa_power", std::string()).find("start=" + compact), std::string::npos)
      << targets;
  EXPECT_NE(targets.value("open_meteo_archive", std::string()).find("start_date=" + iso),
            std::string::npos)
      << targets;
  // The result is the whole period, and its first 30 days are the first calculation's.
  ASSERT_EQ(second->days.size(), 40U);
  for (std::size_t i = 0; i < first->days.size(); ++i) {
    EXPECT_EQ(second->days[i].date, first->days[i].date);
    EXPECT_NEAR(second->days[i].eto_mm, first->days[i].eto_mm, 1e-9) << i;
  }
  // A third identical request is a full hit.
  const auto before = sim_.stats()["requests"];
  auto third = run_calculation(longer, context_, quiet);
  ASSERT_TRUE(third);
  EXPECT_EQ(sim_.stats()["requests"], before);
}

TEST_F(RunCalculation, EachFaultOnOneSourceLeavesAResultFromTheOtherWithAWarning) {
  const char* faults[] = {
      R"({"source":"nasa_power","fault":"status_500","count":0})",
      R"({"source":"nasa_power","fault":"reset","count":0})",
      R"({"source":"nasa_power","fault":"truncated","count":0})",
      R"({"source":"nasa_power","fault":"invalid_json","count":0})",
      R"({"source":"nasa_power","fault":"delay","delay_ms":1500,"count":0})",
      R"({"source":"nasa_power","fault":"status_429","retry_after_s":30,"count":0})",
  };
  for (const char* fault : faults) {
    sim_.clear_faults();
    sim_.set_fault(fault);
    NullProgressSink quiet;
    auto result = run_calculation(historical(10), context_, quiet);
    ASSERT_TRUE(result) << fault << ": " << result.error().message;
    EXPECT_TRUE(has_warning(*result, "source_failed", "nasa_power")) << fault;
    for (const auto& day : result->days) {
      EXPECT_FALSE(domain::is_missing(day.eto_mm)) << fault;
      EXPECT_EQ(day.sources, std::vector<SourceId>{SourceId::open_meteo_archive}) << fault;
      EXPECT_NE(day.quality, Quality::high) << fault;
    }
  }
}

TEST_F(RunCalculation, TransientFaultsAreRetriedAway) {
  sim_.set_fault(
      R"({"source":"open_meteo_archive","fault":"status_429","retry_after_s":0,"count":1})");
  sim_.set_fault(R"({"source":"nasa_power","fault":"status_500","count":1})");
  NullProgressSink quiet;
  auto result = run_calculation(historical(10), context_, quiet);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(has_warning(*result, "source_failed"));
  EXPECT_EQ(result->days.front().sources.size(), 2U);
}

TEST_F(RunCalculation, MissingRunIsInterpolatedOrFilledByTheOtherSource) {
  sim_.set_fault(R"({"source":"nasa_power","fault":"missing_run","days":3,"count":1})");
  NullProgressSink quiet;
  auto result = run_calculation(historical(15), context_, quiet);
  ASSERT_TRUE(result) << result.error().message;
  for (const auto& day : result->days) EXPECT_FALSE(domain::is_missing(day.eto_mm));
}

TEST_F(RunCalculation, EverySourceFailingIsACleanErrorNamingEachSource) {
  sim_.set_fault(R"({"source":"nasa_power","fault":"status_500","count":0})");
  sim_.set_fault(R"({"source":"open_meteo_archive","fault":"invalid_json","count":0})");
  NullProgressSink quiet;
  auto result = run_calculation(historical(10), context_, quiet);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, domain::ErrorCode::unavailable);
  EXPECT_NE(result.error().message.find("nasa_power"), std::string::npos);
  EXPECT_NE(result.error().message.find("open_meteo_archive"), std::string::npos);
}

TEST_F(RunCalculation, NoHangPastTheDeadline) {
  sim_.set_fault(R"({"source":"*","fault":"delay","delay_ms":5000,"count":0})");
  NullProgressSink quiet;
  RunControl control;
  const auto start = std::chrono::steady_clock::now();
  control.deadline = start + 400ms;
  auto result = run_calculation(historical(10), context_, quiet, control);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, domain::ErrorCode::timeout);
  EXPECT_LT(elapsed, 900ms);
}

TEST_F(RunCalculation, CancelledBeforeStartStopsWithoutDownloading) {
  std::atomic<bool> cancelled{true};
  RunControl control;
  control.cancelled = &cancelled;
  NullProgressSink quiet;
  auto result = run_calculation(historical(10), context_, quiet, control);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, domain::ErrorCode::cancelled);
  EXPECT_EQ(sim_.requests("nasa_power"), 0);
  EXPECT_EQ(sim_.requests("elevation"), 0);
}

TEST_F(RunCalculation, InvalidRequestHasFieldDetails) {
  CalculationRequest request = historical(10);
  request.latitude_deg = 95.0;
  request.end_date = today_;
  NullProgressSink quiet;
  auto result = run_calculation(request, context_, quiet);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, domain::ErrorCode::invalid_argument);
  ASSERT_GE(result.error().details.size(), 2U);
  EXPECT_EQ(result.error().details[0].field, "latitude");
}

TEST_F(RunCalculation, OverTheSeaIsRefusedBeforeAnyDownloadUnlessAllowed) {
  auto land = sources::shared_land_mask("");
  ASSERT_TRUE(land) << land.error().message;
  context_.land = *land;
  // The Atlantic off Santa Catarina, where a user once clicked.
  CalculationRequest request =
      request_for_mode(-26.16, -44.60, Mode::forecast, 0, local_today(-26.16, -44.60));
  sim_.clear_faults();
  NullProgressSink quiet;
  auto refused = run_calculation(request, context_, quiet);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, domain::ErrorCode::invalid_argument);
  EXPECT_NE(refused.error().message.find("over the sea"), std::string::npos);
  EXPECT_NE(refused.error().message.find("allow_sea"), std::string::npos);
  EXPECT_EQ(sim_.requests("open_meteo_forecast"), 0);
  EXPECT_EQ(sim_.requests("elevation"), 0);

  request.allow_sea = true;
  auto result = run_calculation(request, context_, quiet);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_FALSE(result->days.empty());
  EXPECT_TRUE(has_warning(*result, "over_sea"));
  EXPECT_EQ(result->time_zone, "Etc/GMT+3");  // the nautical zone of 44.6°W
  EXPECT_EQ(result->time_zone_source, domain::TimeZoneSource::nautical);
  for (const auto& day : result->days) {
    EXPECT_EQ(day.quality, Quality::low) << domain::format_iso_date(day.date);
    EXPECT_NE(std::find(day.quality_reasons.begin(), day.quality_reasons.end(), "over_sea"),
              day.quality_reasons.end());
  }
}

TEST_F(RunCalculation, ALandPointIsNotRefused) {
  auto land = sources::shared_land_mask("");
  ASSERT_TRUE(land) << land.error().message;
  context_.land = *land;
  NullProgressSink quiet;
  auto result = run_calculation(historical(7), context_, quiet);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(has_warning(*result, "over_sea"));
}

// The same request served from the cache tells the user the same things as the first time:
// days a source lacks, its missing variables, an elevation from the offline grid.
TEST_F(RunCalculation, ACachedResultWarnsExactlyAsTheFreshOne) {
  auto cache = storage::open_weather_cache("sqlite://:memory:");
  ASSERT_TRUE(cache);
  context_.cache = *cache;
  sim_.set_fault(R"({"source":"elevation","fault":"status_500","count":0})");
  sim_.set_fault(R"({"source":"nasa_power","fault":"missing_run","days":3,"count":1})");
  const auto request = request_for_mode(kLat, kLon, Mode::recent, 14, today_);
  NullProgressSink quiet;
  auto fresh = run_calculation(request, context_, quiet);
  ASSERT_TRUE(fresh) << fresh.error().message;
  const auto requests = sim_.stats()["requests"];
  auto cached = run_calculation(request, context_, quiet);
  ASSERT_TRUE(cached) << cached.error().message;
  EXPECT_EQ(sim_.stats()["requests"], requests) << "served from the cache";
  EXPECT_TRUE(has_warning(*fresh, "elevation_offline"));
  EXPECT_TRUE(has_warning(*fresh, "source_days_missing", "nasa_power"));
  EXPECT_EQ(to_json(*cached).at("warnings"), to_json(*fresh).at("warnings"));
}

}  // namespace
}  // namespace evapo::pipeline

namespace evapo::pipeline {
namespace {

// A simulator whose "today" is the point's own local day.
struct PointSetup {
  PointSetup(double lat, double lon)
      : today(local_today(lat, lon)),
        sim(testing::UpstreamSimulator::Options{.latency_ms = 0,
                                                .replay_fixtures = false,
                                                .today = domain::format_iso_date(today),
                                                .extra_args = {}}) {
    auto options = sources::http_options_from(sim.sources_config());
    options.rate_limits.clear();
    http = std::make_unique<sources::HttpClient>(options);
    context.sources = sim.sources_config();
    context.http = http.get();
    latitude_deg = lat;
    longitude_deg = lon;
  }
  domain::Date today;
  testing::UpstreamSimulator sim;
  std::unique_ptr<sources::HttpClient> http;
  PipelineContext context;
  double latitude_deg;
  double longitude_deg;
};

std::vector<SourceId> union_of_sources(const CalculationResult& result) {
  std::vector<SourceId> all;
  for (const auto& day : result.days) {
    for (auto id : day.sources) {
      if (std::find(all.begin(), all.end(), id) == all.end()) all.push_back(id);
    }
  }
  std::sort(all.begin(), all.end());
  return all;
}

TEST(RunCalculationModes, ForecastInTheUsaFusesOpenMeteoMetNorwayAndNws) {
  PointSetup point(40.7, -74.0);
  const auto request =
      request_for_mode(point.latitude_deg, point.longitude_deg, Mode::forecast, 0, point.today);
  RecordingSink sink;
  auto result = run_calculation(request, point.context, sink);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->days.size(), 6U);
  for (const auto& day : result->days) EXPECT_FALSE(domain::is_missing(day.eto_mm));
  EXPECT_EQ(
      union_of_sources(*result),
      (std::vector<SourceId>{SourceId::open_meteo_forecast, SourceId::met_norway, SourceId::nws}));
  EXPECT_EQ(sink.final_state(SourceId::nasa_power), "skipped");
  EXPECT_EQ(sink.final_state(SourceId::nws), "done");
}

// Vigo keeps Madrid's time (UTC+1, +2 in summer) though its longitude says UTC-1: the days,
// "today" and the zone named in the result are Madrid's.
TEST(RunCalculationModes, ForecastDaysAreLocalToThePointsTimeZone) {
  PointSetup point(42.24, -8.72);
  const auto zone = sources::load_time_zone("Europe/Madrid", domain::TimeZoneSource::boundary);
  ASSERT_TRUE(zone) << zone.error().message;
  EXPECT_EQ(point.today, zone->local_date(std::chrono::system_clock::now()));
  const auto request =
      request_for_mode(point.latitude_deg, point.longitude_deg, Mode::forecast, 0, point.today);
  NullProgressSink quiet;
  auto result = run_calculation(request, point.context, quiet);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->time_zone, "Europe/Madrid");
  EXPECT_EQ(result->time_zone_source, domain::TimeZoneSource::boundary);
  EXPECT_EQ(result->utc_offset_seconds, zone->utc_offset_s(zone->day_start_utc_s(point.today)));
  ASSERT_FALSE(result->days.empty());
  EXPECT_EQ(result->days.front().date, point.today);
  const auto json = to_json(*result);
  EXPECT_EQ(json.at("location").at("time_zone"), "Europe/Madrid");
}

TEST(RunCalculationModes, RecentDaysAllComputedDespiteTheArchiveLag) {
  PointSetup point(-22.7, -47.6);
  const auto request =
      request_for_mode(point.latitude_deg, point.longitude_deg, Mode::recent, 14, point.today);
  NullProgressSink quiet;
  auto result = run_calculation(request, point.context, quiet);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->days.size(), 14U);
  for (const auto& day : result->days) {
    EXPECT_FALSE(domain::is_missing(day.eto_mm)) << domain::format_iso_date(day.date);
  }
  // Today comes from the forecast model only.
  EXPECT_EQ(result->days.back().sources, std::vector<SourceId>{SourceId::open_meteo_forecast});
}

}  // namespace
}  // namespace evapo::pipeline
