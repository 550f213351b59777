// The time zone of a point: the boundary-index lookup alone, the whole locate (index + the cached
// tz-database offsets), loading the index, and grouping a year of hours into local days.
//
//   build/ci/bench/evapo_time_zone_bench

#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <evapo/core/hourly_to_daily.hpp>
#include <evapo/core/time_zone_index.hpp>
#include <evapo/sources/time_zone_database.hpp>
#include <evapo/sources/time_zone_lookup.hpp>

namespace {

struct Point {
  double lat;
  double lon;
};

// Uniform on the sphere (mostly sea, quick leaves) or drawn from land boxes (deep leaves near
// borders), fixed seed.
std::vector<Point> random_points(bool land_only) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<Point> points(4096);
  for (auto& p : points) {
    if (land_only) {
      // Europe, South America, the USA, China.
      static const double boxes[][4] = {
          {36, 60, -10, 30}, {-40, 0, -75, -40}, {30, 48, -120, -75}, {22, 45, 80, 120}};
      const auto& box = boxes[static_cast<std::size_t>(unit(random) * 4) % 4];
      p = {box[0] + unit(random) * (box[1] - box[0]), box[2] + unit(random) * (box[3] - box[2])};
    } else {
      p = {std::asin(2.0 * unit(random) - 1.0) * 180.0 / M_PI, 360.0 * unit(random) - 180.0};
    }
  }
  return points;
}

const evapo::core::TimeZoneIndex& shipped_index() {
  static const auto index = evapo::sources::shared_time_zone_index("");
  if (!index) throw std::runtime_error(index.error().message);
  return **index;
}

void BM_IndexZoneAt(benchmark::State& state) {
  const auto& index = shipped_index();
  const auto points = random_points(state.range(0) == 1);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = points[i++ % points.size()];
    benchmark::DoNotOptimize(index.zone_at(p.lat, p.lon));
  }
  state.SetLabel(state.range(0) == 1 ? "land" : "whole sphere");
}
BENCHMARK(BM_IndexZoneAt)->Arg(0)->Arg(1);

void BM_LocateTimeZone(benchmark::State& state) {
  shipped_index();
  const auto points = random_points(true);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = points[i++ % points.size()];
    auto zone = evapo::sources::locate_time_zone(p.lat, p.lon, "");
    benchmark::DoNotOptimize(zone);
  }
}
BENCHMARK(BM_LocateTimeZone);

void BM_DecodeIndexFile(benchmark::State& state) {
  const std::string path = evapo::sources::find_time_zone_index_path("");
  std::ifstream file(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                        std::istreambuf_iterator<char>());
  for (auto _ : state) {
    auto index = evapo::core::TimeZoneIndex::decode(bytes);
    benchmark::DoNotOptimize(index);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_DecodeIndexFile)->Unit(benchmark::kMillisecond);

void BM_HoursToLocalDaysOfAYear(benchmark::State& state) {
  const auto zone =
      evapo::sources::load_time_zone("America/New_York", evapo::domain::TimeZoneSource::boundary);
  if (!zone) throw std::runtime_error(zone.error().message);
  evapo::core::HourlyTable table;
  const std::int64_t start = 1704067200;  // 2024-01-01T00:00Z
  for (int h = 0; h < 366 * 24; ++h) {
    table.set(start + h * 3600, evapo::core::HourlyVariable::temp_c, h % 24);
    table.set(start + h * 3600, evapo::core::HourlyVariable::precip_mm, 0.1);
  }
  for (auto _ : state) benchmark::DoNotOptimize(table.to_local_days(*zone, 10.0));
}
BENCHMARK(BM_HoursToLocalDaysOfAYear)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
