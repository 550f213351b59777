// Throughput of the reference-ET engine over 10^7 rows held in memory (structure of arrays),
// and a streaming benchmark in the same binary to measure this machine's memory bandwidth.
// Run: build/bench/evapo_core_bench --benchmark_filter='daily|hourly|stream'
//      (see docs/validation.md, "Speed"). Rates are per CPU second of the benchmark thread (Google
// Benchmark's default), i.e. what one core does even when the machine is shared; "Time" is wall.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include <evapo/core/daily_batch.hpp>
#include <evapo/core/hourly_reference_et.hpp>

namespace {

using evapo::core::DailyBatch;
using evapo::core::EtoOptions;
using evapo::core::Method;
using evapo::core::RsoModel;
using evapo::core::Site;

constexpr std::size_t kRows = 10'000'000;

/// Plausible synthetic daily weather: seasonal temperature, Tdew below Tmin, Rs a fraction of
/// the clear-sky value, gamma-distributed wind.
struct DailyColumns {
  std::vector<std::uint16_t> day_of_year;
  std::vector<double> tmax_c, tmin_c, tdew_c, wind_m_s, rs_mj_m2;
};

const DailyColumns& daily_columns() {
  static const DailyColumns columns = [] {
    DailyColumns c;
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::gamma_distribution<double> wind(2.0, 1.2);
    c.day_of_year.resize(kRows);
    c.tmax_c.resize(kRows);
    c.tmin_c.resize(kRows);
    c.tdew_c.resize(kRows);
    c.wind_m_s.resize(kRows);
    c.rs_mj_m2.resize(kRows);
    for (std::size_t i = 0; i < kRows; ++i) {
      const auto j = static_cast<std::uint16_t>(1 + i % 365);
      const double season = std::sin(2.0 * 3.14159265 * (j - 105) / 365.0);
      c.day_of_year[i] = j;
      c.tmin_c[i] = 5.0 + 10.0 * season + 4.0 * (unit(rng) - 0.5);
      c.tmax_c[i] = c.tmin_c[i] + 3.0 + 17.0 * unit(rng);
      c.tdew_c[i] = c.tmin_c[i] - 8.0 * unit(rng);
      c.wind_m_s[i] = wind(rng);
      c.rs_mj_m2[i] = (0.25 + 0.75 * unit(rng)) * (18.0 + 12.0 * season);
    }
    return c;
  }();
  return columns;
}

void run_daily(benchmark::State& state, const EtoOptions& options) {
  const DailyColumns& c = daily_columns();
  std::vector<double> et(kRows);
  const DailyBatch batch{c.day_of_year, c.tmax_c, c.tmin_c, c.tdew_c, c.wind_m_s, c.rs_mj_m2, 3.0};
  const Site site{.latitude_deg = 39.46, .longitude_deg = -118.77, .elevation_m = 1208.5};
  for (auto _ : state) {
    evapo::core::compute_daily_batch(batch, site, options, et);
    benchmark::DoNotOptimize(et.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  // Bytes moved per row: 5 doubles + 1 uint16 in, 1 double out.
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRows * (6 * 8 + 2)));
}

void BM_daily_fao56_simple_rso(benchmark::State& state) {
  run_daily(state, {});
}
void BM_daily_asce_tall_simple_rso(benchmark::State& state) {
  run_daily(state, {.method = Method::asce_tall});
}
void BM_daily_asce_short_full_rso(benchmark::State& state) {
  run_daily(state, {.method = Method::asce_short, .rso = RsoModel::full});
}

/// Hourly: one site, 10^7 consecutive hours through the stateful calculator (sequential
/// because fcd is carried forward).
void BM_hourly_asce_short(benchmark::State& state) {
  const DailyColumns& c = daily_columns();
  std::vector<evapo::core::HourlyInput> hours(kRows);
  for (std::size_t i = 0; i < kRows; ++i) {
    auto& h = hours[i];
    h.day_of_year = 1 + static_cast<int>((i / 24) % 365);
    h.clock_hour = static_cast<double>(i % 24 + 1);
    h.t_c = 0.5 * (c.tmax_c[i] + c.tmin_c[i]);
    h.tdew_c = c.tdew_c[i];
    h.wind_m_s = c.wind_m_s[i];
    h.rs_mj_m2 = c.rs_mj_m2[i] / 12.0 * ((i % 24 > 6 && i % 24 < 19) ? 1.0 : 0.0);
  }
  const Site site{
      .latitude_deg = 39.46, .longitude_deg = -118.77, .elevation_m = 1208.5, .tz_offset_h = -8};
  std::vector<double> et(kRows);
  for (auto _ : state) {
    evapo::core::HourlyCalculator calculator(site, {.method = Method::asce_short});
    for (std::size_t i = 0; i < kRows; ++i) et[i] = calculator.next(hours[i]).et_mm();
    benchmark::DoNotOptimize(et.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
}

/// STREAM-like triad a = b + s·c over 3 x 80 MB arrays: the memory bandwidth one core reaches.
void BM_stream_triad(benchmark::State& state) {
  std::vector<double> a(kRows, 0.0), b(kRows, 1.0), c(kRows, 2.0);
  const double s = 3.0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kRows; ++i) a[i] = b[i] + s * c[i];
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRows * 3 * 8));
}

/// Plain read bandwidth (sum of 80 MB), the ceiling for a kernel that mostly reads.
void BM_stream_read(benchmark::State& state) {
  std::vector<double> b(kRows, 1.0);
  for (auto _ : state) {
    double sum0 = 0.0, sum1 = 0.0, sum2 = 0.0, sum3 = 0.0;
    for (std::size_t i = 0; i + 3 < kRows; i += 4) {
      sum0 += b[i];
      sum1 += b[i + 1];
      sum2 += b[i + 2];
      sum3 += b[i + 3];
    }
    benchmark::DoNotOptimize(sum0 + sum1 + sum2 + sum3);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRows * 8));
}

}  // namespace

BENCHMARK(BM_daily_fao56_simple_rso)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_daily_asce_tall_simple_rso)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_daily_asce_short_full_rso)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_hourly_asce_short)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_stream_triad)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_stream_read)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
