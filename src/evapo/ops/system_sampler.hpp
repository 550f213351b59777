#pragma once

// What the machine and this process use, read from /proc and statvfs (Linux): the measured part
// of system_stats.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>

namespace evapo::ops {

struct SystemSample {
  double process_cpu_pct = 0.0;  // this process, 100 = one core busy for the whole interval
  double machine_cpu_pct = 0.0;  // all cores, 100 = every core busy
  int cores = 1;
  std::int64_t rss_bytes = 0;               // this process's resident memory
  std::int64_t memory_total_bytes = 0;      // the machine's
  std::int64_t memory_available_bytes = 0;  // the machine's (MemAvailable)
  std::int64_t disk_free_bytes = 0;         // of the file system holding the data folder
  std::int64_t disk_total_bytes = 0;
  double load_1 = 0.0;
  double load_5 = 0.0;
  double load_15 = 0.0;
};

/// {"process_cpu_pct","machine_cpu_pct","cores","rss_bytes","memory_total_bytes",
///  "memory_available_bytes","disk_free_bytes","disk_total_bytes","load_1","load_5","load_15"}.
nlohmann::json to_json(const SystemSample& sample);

/// Parsers of the /proc files, for tests.
struct ProcCpu {
  std::uint64_t busy_ticks = 0;   // user + nice + system + irq + softirq + steal
  std::uint64_t total_ticks = 0;  // busy + idle + iowait
};
std::optional<ProcCpu> parse_proc_stat(std::string_view text);  // /proc/stat's "cpu " line
std::optional<std::uint64_t> parse_process_ticks(std::string_view text);    // /proc/<pid>/stat
std::optional<std::int64_t> parse_status_rss_bytes(std::string_view text);  // /proc/<pid>/status
struct MemInfo {
  std::int64_t total_bytes = 0;
  std::int64_t available_bytes = 0;
};
std::optional<MemInfo> parse_meminfo(std::string_view text);

/// Samples the machine; CPU shares are over the interval since the previous sample (the first
/// one: since construction). Not thread-safe.
class SystemSampler {
 public:
  explicit SystemSampler(std::string data_dir);

  /// Errors: unavailable when /proc cannot be read.
  domain::Expected<SystemSample> sample();

 private:
  struct Reading {
    std::chrono::steady_clock::time_point at;
    std::uint64_t process_ticks = 0;
    ProcCpu machine;
  };
  std::optional<Reading> read_cpu() const;

  std::string data_dir_;
  std::optional<Reading> previous_;
  long ticks_per_s_;
};

}  // namespace evapo::ops
