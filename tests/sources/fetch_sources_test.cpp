#include <algorithm>
#include <mutex>

#include <gtest/gtest.h>
#include <support/upstream_simulator.hpp>

#include <evapo/domain/source_id.hpp>
#include <evapo/sources/elevation.hpp>
#include <evapo/sources/fetch_sources.hpp>
#include <evapo/sources/time_zone_lookup.hpp>

#include "fixture_path.hpp"

namespace evapo::sources {
namespace {

using Clock = std::chrono::steady_clock;
using domain::SourceId;
using std::chrono::milliseconds;
using test::day;

const domain::Location kFallon{39.4575, -118.7767, std::nullopt};

// The simulator's "today" is fixed so that forecast windows and upstream lags are deterministic.
class FetchSourcesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::UpstreamSimulator::Options options;
    options.today = "2026-07-01";
    sim_ = new testing::UpstreamSimulator(options);
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  void TearDown() override { sim_->clear_faults(); }

  static SourcesConfig config() {
    SourcesConfig c = sim_->sources_config();
    c.backoff_base = milliseconds{20};
    c.backoff_max = milliseconds{100};
    return c;
  }

  static testing::UpstreamSimulator* sim_;
};

testing::UpstreamSimulator* FetchSourcesTest::sim_ = nullptr;

const SourceOutcome& outcome(const std::vector<SourceOutcome>& outcomes, SourceId id) {
  return *std::find_if(outcomes.begin(), outcomes.end(),
                       [&](const auto& o) { return o.source == id; });
}

TEST_F(FetchSourcesTest, AllFiveSourcesForAForecastWeekInTheUsa) {
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  std::mutex mutex;
  std::vector<SourceFetchStatus> statuses;
  const auto zone = locate_time_zone(kFallon.latitude_deg, kFallon.longitude_deg, "");
  ASSERT_TRUE(zone) << zone.error().message;
  EXPECT_EQ(zone->name(), "America/Los_Angeles");
  const FetchRequest request{kFallon, day(2026, 7, 1), day(2026, 7, 6), *zone};
  const auto outcomes =
      fetch_sources(domain::kAllSources, request, cfg, http, {}, [&](const SourceFetchStatus& s) {
        const std::lock_guard lock(mutex);
        statuses.push_back(s);
      });
  ASSERT_EQ(outcomes.size(), 5U);
  for (const auto& o : outcomes) {
    ASSERT_TRUE(o.series) << domain::to_string(o.source) << ": " << o.series.error().message;
    EXPECT_EQ(o.series->source, o.source);
  }
  // Forecast, MET Norway and NWS cover the whole week; days are local (PDT, UTC-7; the longitude
  // would say UTC-8).
  for (SourceId id : {SourceId::open_meteo_forecast, SourceId::met_norway, SourceId::nws}) {
    const auto& series = *outcome(outcomes, id).series;
    ASSERT_EQ(series.days.size(), 6U) << domain::to_string(id);
    EXPECT_EQ(series.days.front().date, day(2026, 7, 1));
    EXPECT_EQ(series.utc_offset_seconds, -7 * 3600);
    for (const auto& d : series.days) {
      EXPECT_GT(d.tmax_c, d.tmin_c) << domain::to_string(id);
      EXPECT_GT(d.rh_mean_pct, 0.0);
      EXPECT_GT(d.wind_m_s, 0.0);
      EXPECT_DOUBLE_EQ(d.wind_height_m, 10.0);
    }
  }
  // Sources differ slightly (bias and noise), never identically.
  EXPECT_NE(outcome(outcomes, SourceId::met_norway).series->days[2].tmax_c,
            outcome(outcomes, SourceId::nws).series->days[2].tmax_c);
  // NASA POWER and the archive have nothing yet for these days: empty series.
  for (SourceId id : {SourceId::nasa_power, SourceId::open_meteo_archive}) {
    const auto& series = *outcome(outcomes, id).series;
    EXPECT_TRUE(series.days.empty()) << domain::to_string(id);
  }
  const auto done = std::count_if(statuses.begin(), statuses.end(),
                                  [](const auto& s) { return s.state == "done"; });
  const auto downloading = std::count_if(statuses.begin(), statuses.end(),
                                         [](const auto& s) { return s.state == "downloading"; });
  EXPECT_EQ(done, 5);
  EXPECT_EQ(downloading, 5);
}

TEST_F(FetchSourcesTest, HistoricalYearFromNasaAndArchive) {
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  const FetchRequest request{kFallon, day(2025, 1, 1), day(2025, 12, 31), std::nullopt};
  const SourceId ids[] = {SourceId::nasa_power, SourceId::open_meteo_archive};
  const auto start = Clock::now();
  const auto outcomes = fetch_sources(ids, request, cfg, http);
  const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  RecordProperty("fetch_365_days_ms", static_cast<int>(elapsed.count()));
  for (const auto& o : outcomes) {
    ASSERT_TRUE(o.series) << o.series.error().message;
    ASSERT_EQ(o.series->days.size(), 365U) << domain::to_string(o.source);
    EXPECT_TRUE(o.series->warnings.empty()) << o.series->warnings.front();
    EXPECT_EQ(o.series->days.front().date, day(2025, 1, 1));
    EXPECT_EQ(o.series->days.back().date, day(2025, 12, 31));
    const auto& july = o.series->days[190];
    const auto& january = o.series->days[10];
    EXPECT_GT(july.tmax_c, january.tmax_c + 10.0);  // a northern-hemisphere seasonal cycle
    EXPECT_GT(july.rs_mj_m2, january.rs_mj_m2);
  }
  const auto& nasa = *outcome(outcomes, SourceId::nasa_power).series;
  EXPECT_DOUBLE_EQ(nasa.days[0].wind_height_m, 2.0);
  EXPECT_GT(nasa.elevation_m, 1000.0);
  const auto& archive = *outcome(outcomes, SourceId::open_meteo_archive).series;
  EXPECT_FALSE(std::isnan(archive.days[0].upstream_eto_mm));
  EXPECT_LT(elapsed, milliseconds{2000});
}

TEST_F(FetchSourcesTest, LongSpansAreChunkedAndMerged) {
  auto cfg = config();
  cfg.open_meteo_chunk_days = 100;
  HttpClient http(http_options_from(cfg));
  const int before = sim_->requests("open_meteo_archive");
  const FetchRequest request{kFallon, day(2024, 1, 1), day(2024, 12, 31), std::nullopt};
  const auto series = fetch_source(SourceId::open_meteo_archive, request, cfg, http);
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(sim_->requests("open_meteo_archive") - before, 4);
  ASSERT_EQ(series->days.size(), 366U);
  for (std::size_t i = 1; i < series->days.size(); ++i) {
    EXPECT_EQ(domain::days_between(series->days[i - 1].date, series->days[i].date), 1);
  }
}

TEST_F(FetchSourcesTest, RunOfMissingValuesLeavesTheDaysOut) {
  sim_->set_fault(R"({"source":"nasa_power","fault":"missing_run","count":1,"days":4})");
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  const FetchRequest request{kFallon, day(2025, 3, 1), day(2025, 3, 20), std::nullopt};
  const auto series = fetch_source(SourceId::nasa_power, request, cfg, http);
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->days.size(), 16U);
  EXPECT_TRUE(series->warnings.empty());
}

TEST_F(FetchSourcesTest, OneFailingSourceLeavesTheOthers) {
  sim_->set_fault(R"({"source":"open_meteo_archive","fault":"status_500","count":10})");
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  std::vector<SourceFetchStatus> statuses;
  const FetchRequest request{kFallon, day(2025, 6, 1), day(2025, 6, 10), std::nullopt};
  const SourceId ids[] = {SourceId::nasa_power, SourceId::open_meteo_archive};
  const auto outcomes = fetch_sources(ids, request, cfg, http, {},
                                      [&](const SourceFetchStatus& s) { statuses.push_back(s); });
  ASSERT_TRUE(outcome(outcomes, SourceId::nasa_power).series);
  const auto& failed = outcome(outcomes, SourceId::open_meteo_archive).series;
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, domain::ErrorCode::unavailable);
  EXPECT_NE(failed.error().message.find("open_meteo_archive: HTTP 500"), std::string::npos)
      << failed.error().message;
  const bool retried = std::any_of(statuses.begin(), statuses.end(), [](const auto& s) {
    return s.source == SourceId::open_meteo_archive && s.state == "retrying";
  });
  const bool reported_failure = std::any_of(statuses.begin(), statuses.end(), [](const auto& s) {
    return s.source == SourceId::open_meteo_archive && s.state == "failed";
  });
  EXPECT_TRUE(retried);
  EXPECT_TRUE(reported_failure);
}

TEST_F(FetchSourcesTest, InvalidJsonFromOneSourceIsAnUpstreamError) {
  sim_->set_fault(R"({"source":"open_meteo_forecast","fault":"invalid_json","count":1})");
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  const FetchRequest request{kFallon, day(2026, 7, 1), day(2026, 7, 3), std::nullopt};
  const auto series = fetch_source(SourceId::open_meteo_forecast, request, cfg, http);
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().code, domain::ErrorCode::upstream);
}

TEST_F(FetchSourcesTest, NwsOutsideTheUsaMakesNoRequest) {
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  const int before = sim_->requests("nws");
  const FetchRequest request{
      {51.5, -0.1, std::nullopt}, day(2026, 7, 1), day(2026, 7, 3), std::nullopt};
  const auto series = fetch_source(SourceId::nws, request, cfg, http);
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().code, domain::ErrorCode::not_found);
  EXPECT_EQ(sim_->requests("nws"), before);
}

TEST_F(FetchSourcesTest, DisabledSourceIsRefused) {
  auto cfg = config();
  cfg.enabled_sources = {SourceId::nasa_power};
  HttpClient http(http_options_from(cfg));
  const FetchRequest request{kFallon, day(2026, 7, 1), day(2026, 7, 3), std::nullopt};
  const auto series = fetch_source(SourceId::met_norway, request, cfg, http);
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().code, domain::ErrorCode::invalid_argument);
}

TEST_F(FetchSourcesTest, DeadlineEndsEverySourceWithoutHanging) {
  sim_->set_fault(R"({"source":"*","fault":"delay","count":20,"delay_ms":5000})");
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  FetchControl control;
  control.deadline = Clock::now() + milliseconds{400};
  const FetchRequest request{kFallon, day(2026, 7, 1), day(2026, 7, 6), std::nullopt};
  const auto start = Clock::now();
  const auto outcomes = fetch_sources(domain::kAllSources, request, cfg, http, control);
  EXPECT_LT(Clock::now() - start, milliseconds{1500});
  for (const auto& o : outcomes) {
    ASSERT_FALSE(o.series);
    EXPECT_EQ(o.series.error().code, domain::ErrorCode::timeout) << o.series.error().message;
  }
}

TEST_F(FetchSourcesTest, ElevationOnlineThenOfflineFallback) {
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  const auto online = resolve_elevation(kFallon, cfg, http);
  ASSERT_TRUE(online) << online.error().message;
  EXPECT_EQ(online->source, "open_meteo");
  EXPECT_NEAR(online->elevation_m, 1206.5, 150.0);
  EXPECT_FALSE(online->over_sea);
  sim_->set_fault(R"({"source":"elevation","fault":"status_500","count":10})");
  const auto offline = resolve_elevation(kFallon, cfg, http);
  ASSERT_TRUE(offline) << offline.error().message;
  EXPECT_EQ(offline->source, "etopo20");
  EXPECT_NEAR(offline->elevation_m, online->elevation_m, 1.0);
  ASSERT_EQ(offline->warnings.size(), 1U);
  EXPECT_NE(offline->warnings[0].find("ETOPO20 used"), std::string::npos);
}

TEST_F(FetchSourcesTest, OceanPointIsClampedToSeaLevelWithAWarning) {
  const auto cfg = config();
  HttpClient http(http_options_from(cfg));
  const auto result = resolve_elevation({-12.46113, -130.84184, std::nullopt}, cfg, http);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->over_sea);
  EXPECT_DOUBLE_EQ(result->elevation_m, 0.0);
  ASSERT_FALSE(result->warnings.empty());
}

TEST(Elevation, ParsesTheApiBody) {
  EXPECT_DOUBLE_EQ(*parse_elevation(R"({"elevation":[1134.0]})"), 1134.0);
  EXPECT_FALSE(parse_elevation(R"({"elevation":[]})"));
  EXPECT_FALSE(parse_elevation(R"({"error":true,"reason":"Latitude must be in range"})"));
  EXPECT_EQ(elevation_url("https://api.open-meteo.com", {39.46, -118.77, std::nullopt}),
            "https://api.open-meteo.com/v1/elevation?latitude=39.4600&longitude=-118.7700");
}

}  // namespace
}  // namespace evapo::sources
