// The whole calculation against the local upstream simulator (no simulated latency):
//   BM_Calculation365Days  365 historical days, every source that serves them, no cache
//   BM_CacheHit            the same request answered from a warm SQLite cache
// Counters: peak_heap_kb = most C++ heap held at once during one calculation (operator new
// replaced below; libcurl's and SQLite's malloc are not counted), rss_growth_kb = growth of the
// process's max RSS over all iterations.
// Run: build-<name>/bench/evapo_pipeline_bench (finds the simulator next to the build, or
// $EVAPO_UPSTREAM_SIM).

// operator new/delete are replaced below by malloc/free with counting; GCC flags the inlined
// pairs as mismatched although they match by construction.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <malloc.h>
#include <new>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/pipeline/pipeline_context.hpp>

namespace {

std::string build_dir() {
  // <build>/bench/evapo_pipeline_bench -> <build>
  return std::filesystem::canonical("/proc/self/exe").parent_path().parent_path().string();
}

}  // namespace

#define EVAPO_BINARY_DIR build_dir()
#define EVAPO_SHARED_DIR ""
#include "../tests/support/upstream_simulator.hpp"

namespace {

std::atomic<long long> g_heap_bytes{0};
std::atomic<long long> g_heap_peak{0};

void count_alloc(void* p) {
  if (p == nullptr) return;
  const long long now = g_heap_bytes.fetch_add(static_cast<long long>(malloc_usable_size(p))) +
                        static_cast<long long>(malloc_usable_size(p));
  long long peak = g_heap_peak.load();
  while (now > peak && !g_heap_peak.compare_exchange_weak(peak, now)) {
  }
}

void count_free(void* p) {
  if (p != nullptr) g_heap_bytes.fetch_sub(static_cast<long long>(malloc_usable_size(p)));
}

long max_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

using evapo::pipeline::CalculationRequest;

struct Fixture {
  Fixture()
      : today(evapo::pipeline::local_today(-22.7, -47.6)),
        sim(evapo::testing::UpstreamSimulator::Options{
            .latency_ms = 0,
            .replay_fixtures = false,
            .today = evapo::domain::format_iso_date(today),
            .extra_args = {}}) {
    auto config = sim.sources_config();
    auto options = evapo::sources::http_options_from(config);
    options.rate_limits.clear();  // the simulator has no quota
    http = std::make_unique<evapo::sources::HttpClient>(options);
    context.sources = config;
    context.http = http.get();
    request.latitude_deg = -22.7;
    request.longitude_deg = -47.6;
    request.mode = evapo::pipeline::Mode::historical;
    request.end_date = evapo::domain::add_days(today, -1);
    request.start_date = evapo::domain::add_days(request.end_date, -364);
  }
  evapo::domain::Date today;
  evapo::testing::UpstreamSimulator sim;
  std::unique_ptr<evapo::sources::HttpClient> http;
  evapo::pipeline::PipelineContext context;
  CalculationRequest request;
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void run_once(benchmark::State& state, const evapo::pipeline::PipelineContext& context,
              long long& peak) {
  evapo::pipeline::NullProgressSink quiet;
  g_heap_peak.store(g_heap_bytes.load());
  const long long base = g_heap_bytes.load();
  auto result = evapo::pipeline::run_calculation(fixture().request, context, quiet);
  peak = std::max(peak, g_heap_peak.load() - base);
  if (!result || result->days.size() != 365) {
    state.SkipWithError(result ? "wrong day count" : result.error().message.c_str());
  }
  benchmark::DoNotOptimize(result);
}

void BM_Calculation365Days(benchmark::State& state) {
  auto& f = fixture();
  auto context = f.context;
  context.cache = nullptr;
  long long peak = 0;
  const long rss_before = max_rss_kb();
  for (auto _ : state) run_once(state, context, peak);
  state.counters["peak_heap_kb"] = static_cast<double>(peak) / 1024.0;
  state.counters["rss_growth_kb"] = static_cast<double>(max_rss_kb() - rss_before);
}
BENCHMARK(BM_Calculation365Days)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_CacheHit(benchmark::State& state) {
  auto& f = fixture();
  auto context = f.context;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("evapo_pipeline_bench_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto cache = evapo::storage::open_weather_cache("sqlite://" + (dir / "cache.db").string());
  if (!cache) {
    state.SkipWithError(cache.error().message.c_str());
    return;
  }
  context.cache = *cache;
  long long peak = 0;
  run_once(state, context, peak);  // warm the cache
  const int requests_before = f.sim.requests("nasa_power");
  peak = 0;
  for (auto _ : state) run_once(state, context, peak);
  state.counters["peak_heap_kb"] = static_cast<double>(peak) / 1024.0;
  state.counters["upstream_calls"] = f.sim.requests("nasa_power") - requests_before;
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_CacheHit)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace

void* operator new(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  count_alloc(p);
  return p;
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void operator delete(void* p) noexcept {
  count_free(p);
  std::free(p);
}
void operator delete[](void* p) noexcept {
  operator delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
  operator delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  operator delete(p);
}

BENCHMARK_MAIN();
