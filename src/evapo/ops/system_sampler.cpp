#include <sstream>
#include <sys/statvfs.h>
#include <thread>
#include <unistd.h>

#include <evapo/domain/read_file.hpp>
#include <evapo/ops/system_sampler.hpp>

namespace evapo::ops {

namespace {

// The number after "Key:" on the line starting with `key`, in kB for /proc's memory figures.
std::optional<std::int64_t> kib_field(std::string_view text, std::string_view key) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    if (line.starts_with(key) && line.size() > key.size() && line[key.size()] == ':') {
      std::istringstream in{std::string(line.substr(key.size() + 1))};
      std::int64_t kib = 0;
      if (in >> kib) return kib * 1024;
      return std::nullopt;
    }
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json to_json(const SystemSample& s) {
  return {{"process_cpu_pct", s.process_cpu_pct},
          {"machine_cpu_pct", s.machine_cpu_pct},
          {"cores", s.cores},
          {"rss_bytes", s.rss_bytes},
          {"memory_total_bytes", s.memory_total_bytes},
          {"memory_available_bytes", s.memory_available_bytes},
          {"disk_free_bytes", s.disk_free_bytes},
          {"disk_total_bytes", s.disk_total_bytes},
          {"load_1", s.load_1},
          {"load_5", s.load_5},
          {"load_15", s.load_15}};
}

std::optional<ProcCpu> parse_proc_stat(std::string_view text) {
  if (!text.starts_with("cpu ")) return std::nullopt;
  std::istringstream in{std::string(text.substr(4, text.find('\n') - 4))};
  std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                steal = 0;
  if (!(in >> user >> nice >> system >> idle >> iowait >> irq >> softirq)) return std::nullopt;
  in >> steal;  // absent on old kernels
  ProcCpu cpu;
  cpu.busy_ticks = user + nice + system + irq + softirq + steal;
  cpu.total_ticks = cpu.busy_ticks + idle + iowait;
  return cpu;
}

std::optional<std::uint64_t> parse_process_ticks(std::string_view text) {
  // "pid (comm) state ..." where comm may hold spaces and parentheses: fields count from the
  // last ')'. utime and stime are fields 14 and 15.
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::istringstream in{std::string(text.substr(close + 1))};
  std::string field;
  for (int i = 3; i <= 13; ++i) {
    if (!(in >> field)) return std::nullopt;
  }
  std::uint64_t utime = 0, stime = 0;
  if (!(in >> utime >> stime)) return std::nullopt;
  return utime + stime;
}

std::optional<std::int64_t> parse_status_rss_bytes(std::string_view text) {
  return kib_field(text, "VmRSS");
}

std::optional<MemInfo> parse_meminfo(std::string_view text) {
  const auto total = kib_field(text, "MemTotal");
  const auto available = kib_field(text, "MemAvailable");
  if (!total || !available) return std::nullopt;
  return MemInfo{*total, *available};
}

SystemSampler::SystemSampler(std::string data_dir)
    : data_dir_(std::move(data_dir)), ticks_per_s_(sysconf(_SC_CLK_TCK)) {
  if (ticks_per_s_ <= 0) ticks_per_s_ = 100;
  previous_ = read_cpu();
}

std::optional<SystemSampler::Reading> SystemSampler::read_cpu() const {
  const auto self = domain::read_file("/proc/self/stat");
  const auto machine = domain::read_file("/proc/stat");
  if (!self || !machine) return std::nullopt;
  const auto ticks = parse_process_ticks(*self);
  const auto cpu = parse_proc_stat(*machine);
  if (!ticks || !cpu) return std::nullopt;
  return Reading{std::chrono::steady_clock::now(), *ticks, *cpu};
}

domain::Expected<SystemSample> SystemSampler::sample() {
  SystemSample out;
  out.cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  const auto now = read_cpu();
  if (!now) return domain::fail(domain::Error::unavailable("cannot read /proc/stat"));
  if (previous_) {
    const double wall_s = std::chrono::duration<double>(now->at - previous_->at).count();
    if (wall_s > 0.0) {
      const double process_s = static_cast<double>(now->process_ticks - previous_->process_ticks) /
                               static_cast<double>(ticks_per_s_);
      out.process_cpu_pct = 100.0 * process_s / wall_s;
    }
    const auto total = now->machine.total_ticks - previous_->machine.total_ticks;
    if (total > 0) {
      out.machine_cpu_pct =
          100.0 * static_cast<double>(now->machine.busy_ticks - previous_->machine.busy_ticks) /
          static_cast<double>(total);
    }
  }
  previous_ = now;

  if (const auto status = domain::read_file("/proc/self/status")) {
    out.rss_bytes = parse_status_rss_bytes(*status).value_or(0);
  }
  if (const auto meminfo = domain::read_file("/proc/meminfo")) {
    if (const auto memory = parse_meminfo(*meminfo)) {
      out.memory_total_bytes = memory->total_bytes;
      out.memory_available_bytes = memory->available_bytes;
    }
  }
  struct statvfs disk {};
  if (statvfs(data_dir_.c_str(), &disk) == 0) {
    out.disk_free_bytes =
        static_cast<std::int64_t>(disk.f_bavail) * static_cast<std::int64_t>(disk.f_frsize);
    out.disk_total_bytes =
        static_cast<std::int64_t>(disk.f_blocks) * static_cast<std::int64_t>(disk.f_frsize);
  }
  if (const auto load = domain::read_file("/proc/loadavg")) {
    std::istringstream in(*load);
    in >> out.load_1 >> out.load_5 >> out.load_15;
  }
  return out;
}

}  // namespace evapo::ops
