// System figures read from the real /proc and statvfs of this machine.

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/statvfs.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include <evapo/ops/system_sampler.hpp>

namespace evapo::ops {
namespace {

std::string read(const char* path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SystemSampler, ParsesTheRealProcFiles) {
  const auto cpu = parse_proc_stat(read("/proc/stat"));
  ASSERT_TRUE(cpu);
  EXPECT_GT(cpu->total_ticks, cpu->busy_ticks);
  EXPECT_TRUE(parse_process_ticks(read("/proc/self/stat")).has_value());
  const auto rss = parse_status_rss_bytes(read("/proc/self/status"));
  ASSERT_TRUE(rss);
  // statm's second field is the resident pages.
  std::istringstream statm(read("/proc/self/statm"));
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  const double statm_bytes =
      static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
  EXPECT_NEAR(static_cast<double>(*rss), statm_bytes, 0.25 * statm_bytes);
  const auto memory = parse_meminfo(read("/proc/meminfo"));
  ASSERT_TRUE(memory);
  EXPECT_GT(memory->total_bytes, memory->available_bytes);
}

TEST(SystemSampler, ParsesACommandNameWithSpacesAndParentheses) {
  const std::string stat =
      "1234 (evil) (name) R 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0 100 2000 30";
  EXPECT_EQ(parse_process_ticks(stat), 300U);
  EXPECT_FALSE(parse_process_ticks("garbage").has_value());
  EXPECT_FALSE(parse_proc_stat("intr 1 2 3").has_value());
}

TEST(SystemSampler, ProcessCpuFollowsRealWorkAndDiskMatchesStatvfs) {
  const auto dir = std::filesystem::temp_directory_path();
  SystemSampler sampler(dir.string());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto before = std::chrono::steady_clock::now();
  const auto idle = sampler.sample();
  ASSERT_TRUE(idle);
  // One thread burns 400 ms of its own CPU time, however long the loaded machine takes to give
  // it that (a share of the wall time would depend on the load).
  double burned_s = 0.0;
  std::thread burner([&] {
    volatile double x = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    timespec cpu{};
    do {
      for (int i = 0; i < 100000; ++i) x = x + 1.0;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
      burned_s = static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) * 1e-9;
    } while (burned_s < 0.4 && std::chrono::steady_clock::now() < deadline);
  });
  burner.join();
  const auto busy = sampler.sample();
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
  ASSERT_TRUE(busy);
  // At least the burner's CPU over (at most) the interval, less a clock tick of rounding.
  const double tick_s = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  EXPECT_GE(busy->process_cpu_pct, 100.0 * (burned_s - 2 * tick_s) / wall_s)
      << "burned " << burned_s << " s in " << wall_s << " s";
  EXPECT_GT(busy->process_cpu_pct, idle->process_cpu_pct);
  EXPECT_LE(busy->machine_cpu_pct, 100.0);
  EXPECT_GT(busy->rss_bytes, 1 << 20);
  EXPECT_GE(busy->cores, 1);
  struct statvfs disk {};
  ASSERT_EQ(statvfs(dir.c_str(), &disk), 0);
  const double total = static_cast<double>(disk.f_blocks) * static_cast<double>(disk.f_frsize);
  EXPECT_DOUBLE_EQ(static_cast<double>(busy->disk_total_bytes), total);
  EXPECT_GT(busy->disk_free_bytes, 0);
  EXPECT_GT(busy->load_1 + busy->load_5 + busy->load_15, 0.0);
}

}  // namespace
}  // namespace evapo::ops
