// `evapo calc`: the whole pipeline for one point from the command line (issue 3, section 4).
// Exit codes: 0 ok, 2 invalid point/dates/options, 3 nothing computed (every source failed,
// deadline, cancelled), 1 internal error.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <evapo/domain/source_id.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/pipeline/pipeline_context.hpp>
#include <evapo/pipeline/pipeline_setup.hpp>
#include <evapo/sources/sources_config.hpp>

#include "subcommand.hpp"

namespace evapo::app {
namespace {

struct CalcOptions {
  double latitude_deg = 0.0;
  double longitude_deg = 0.0;
  std::string start;
  std::string end;
  std::string mode;
  int days = 7;
  std::string sources;
  std::string format = "table";
  std::string output;
  std::string data_dir;
  std::optional<double> elevation_m;
  bool no_cache = false;
  bool allow_sea = false;
  double timeout_s = 120.0;
};

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}

// A one-line bar redrawn in place on a terminal: percent, step and each source's state.
class TerminalProgress final : public pipeline::ProgressSink {
 public:
  void report(const pipeline::Progress& progress) override {
    constexpr int kWidth = 24;
    const int filled = progress.progress * kWidth / 100;
    std::string line = "\r[" + std::string(static_cast<std::size_t>(filled), '#') +
                       std::string(static_cast<std::size_t>(kWidth - filled), ' ') + "] " +
                       fmt::format("{:3d}% {:<13}", progress.progress, progress.step);
    for (const auto& s : progress.sources) {
      if (s.state == "skipped" || s.state == "pending") continue;
      line += fmt::format(" {}:{}", domain::to_string(s.source), s.state);
    }
    line += "\033[K";
    std::fputs(line.c_str(), stderr);
    if (progress.step == "finalizing") std::fputs("\n", stderr);
    std::fflush(stderr);
  }
};

std::string data_dir_of(const CalcOptions& options) {
  if (!options.data_dir.empty()) return options.data_dir;
  if (const char* dir = std::getenv("EVAPO_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return (std::filesystem::path(xdg) / "evapo").string();
  }
  return "data";
}

std::string cell(double value, int decimals = 2) {
  if (domain::is_missing(value)) return "";
  return fmt::format("{:.{}f}", value, decimals);
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string sources_of(const pipeline::DailyResult& day, const char* separator) {
  std::vector<std::string> names;
  for (auto id : day.sources) names.emplace_back(domain::to_string(id));
  return join(names, separator);
}

void write_csv(std::ostream& out, const pipeline::CalculationResult& result) {
  out << "date,eto_mm,eto_sd_mm,quality,quality_reasons,sources,flags,tmax_c,tmin_c,rh_mean_pct,"
         "u2_m_s,rs_mj_m2,precip_mm,p_minus_eto_mm,upstream_eto_mm\n";
  for (const auto& d : result.days) {
    out << domain::format_iso_date(d.date) << ',' << cell(d.eto_mm, 3) << ','
        << cell(d.eto_sd_mm, 3) << ',' << pipeline::to_string(d.quality) << ','
        << join(d.quality_reasons, ";") << ',' << sources_of(d, ";") << ',' << join(d.flags, ";")
        << ',' << cell(d.tmax_c) << ',' << cell(d.tmin_c) << ',' << cell(d.rh_mean_pct) << ','
        << cell(d.u2_m_s) << ',' << cell(d.rs_mj_m2) << ',' << cell(d.precip_mm) << ','
        << cell(d.p_minus_eto_mm, 3) << ',' << cell(d.upstream_eto_mm, 3) << '\n';
  }
}

void write_table(std::ostream& out, const pipeline::CalculationResult& result) {
  out << fmt::format(
      "point {:.4f}, {:.4f}  elevation {:.0f} m ({})  time zone {} ({}, UTC offset {:+.1f} h)\n",
      result.location.latitude_deg, result.location.longitude_deg,
      result.location.elevation_m.value_or(0.0), result.elevation_source, result.time_zone,
      domain::to_string(result.time_zone_source), result.utc_offset_seconds / 3600.0);
  out << fmt::format(
      "{:<10} {:>6} {:>5} {:<6} {:>6} {:>6} {:>5} {:>5} {:>5} {:>6} {:>7} {:>6}  {}\n", "date",
      "eto_mm", "sd", "qual", "tmax_c", "tmin_c", "rh_%", "u2", "rs", "P_mm", "P-ETo", "om_eto",
      "sources");
  for (const auto& d : result.days) {
    out << fmt::format(
        "{:<10} {:>6} {:>5} {:<6} {:>6} {:>6} {:>5} {:>5} {:>5} {:>6} {:>7} {:>6}  {}\n",
        domain::format_iso_date(d.date), cell(d.eto_mm), cell(d.eto_sd_mm),
        pipeline::to_string(d.quality), cell(d.tmax_c, 1), cell(d.tmin_c, 1),
        cell(d.rh_mean_pct, 0), cell(d.u2_m_s, 1), cell(d.rs_mj_m2, 1), cell(d.precip_mm, 1),
        cell(d.p_minus_eto_mm), cell(d.upstream_eto_mm), sources_of(d, ","));
  }
}

int fail_with(int code, const std::string& message) {
  std::fprintf(stderr, "evapo calc: %s\n", message.c_str());
  return code;
}

int run_calc(const CalcOptions& options) {
  pipeline::PipelineSetupOptions setup_options;
  if (!options.no_cache) {
    const char* database_url = std::getenv("EVAPO_DATABASE_URL");
    setup_options.cache_url =
        pipeline::cache_url_for(database_url != nullptr ? database_url : "", data_dir_of(options));
  }
  auto setup = pipeline::setup_pipeline(setup_options);
  if (!setup) {
    return fail_with(setup.error().code == domain::ErrorCode::invalid_argument ? kExitBadInput : 1,
                     setup.error().message);
  }
  for (const auto& warning : setup->warnings) {
    std::fprintf(stderr, "evapo calc: warning: %s\n", warning.c_str());
  }
  const pipeline::PipelineContext& context = *setup->context;

  pipeline::CalculationRequest request;
  const auto today = pipeline::point_time_zone(options.latitude_deg, options.longitude_deg,
                                               context.sources.time_zones_path)
                         .zone.local_date(std::chrono::system_clock::now());
  pipeline::Mode mode = pipeline::Mode::historical;
  if (!options.mode.empty()) {
    const auto parsed = pipeline::parse_mode(options.mode);
    if (!parsed) return fail_with(kExitBadInput, "--mode must be historical, recent or forecast");
    mode = *parsed;
  }
  if (options.start.empty() != options.end.empty()) {
    return fail_with(kExitBadInput, "give both --start and --end");
  }
  if (options.start.empty()) {
    if (mode == pipeline::Mode::historical) {
      return fail_with(kExitBadInput, "give --start and --end, or --mode recent|forecast");
    }
    request = pipeline::request_for_mode(options.latitude_deg, options.longitude_deg, mode,
                                         options.days, today);
  } else {
    const auto start = domain::parse_iso_date(options.start);
    const auto end = domain::parse_iso_date(options.end);
    if (!start)
      return fail_with(kExitBadInput, "--start is not a date (YYYY-MM-DD): " + options.start);
    if (!end) return fail_with(kExitBadInput, "--end is not a date (YYYY-MM-DD): " + options.end);
    request.latitude_deg = options.latitude_deg;
    request.longitude_deg = options.longitude_deg;
    request.mode = mode;
    request.start_date = *start;
    request.end_date = *end;
  }
  request.elevation_m = options.elevation_m;
  request.allow_sea = options.allow_sea;
  if (!options.sources.empty()) {
    auto list = sources::parse_source_list(options.sources);
    if (!list) return fail_with(kExitBadInput, "--sources: " + list.error().message);
    request.sources = *list;
  }

  std::signal(SIGINT, on_interrupt);
  pipeline::RunControl control;
  control.cancelled = &g_interrupted;
  control.deadline = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(static_cast<long long>(options.timeout_s * 1000.0));
  TerminalProgress terminal;
  pipeline::NullProgressSink quiet;
  pipeline::ProgressSink& sink =
      ::isatty(STDERR_FILENO) != 0 ? static_cast<pipeline::ProgressSink&>(terminal) : quiet;
  auto result = pipeline::run_calculation(request, context, sink, control);
  if (::isatty(STDERR_FILENO) != 0 && !result) std::fputs("\n", stderr);
  if (!result) {
    const auto& error = result.error();
    if (error.code == domain::ErrorCode::invalid_argument) {
      std::string message = error.message;
      return fail_with(kExitBadInput, message);
    }
    if (error.code == domain::ErrorCode::internal) return fail_with(1, error.message);
    return fail_with(kExitNothingComputed, error.message);
  }
  for (const auto& warning : result->warnings) {
    std::fprintf(stderr, "evapo calc: warning: %s\n", warning.message.c_str());
  }

  std::ostringstream text;
  if (options.format == "json") {
    text << pipeline::to_json(*result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
         << '\n';
  } else if (options.format == "csv") {
    write_csv(text, *result);
  } else {
    write_table(text, *result);
  }
  if (options.output.empty() || options.output == "-") {
    std::cout << text.str();
    std::cout.flush();
  } else {
    std::ofstream file(options.output, std::ios::binary);
    file << text.str();
    if (!file) return fail_with(kExitBadInput, "cannot write " + options.output);
  }
  return kExitOk;
}

void setup_calc(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<CalcOptions>();
  auto* command = parent.add_subcommand(
      "calc", "Daily ETo for a point from the public weather sources, fused, with quality");
  command->add_option("--lat", options->latitude_deg, "Latitude in degrees, north positive")
      ->required();
  command->add_option("--lon", options->longitude_deg, "Longitude in degrees, east positive")
      ->required();
  command->add_option("--start", options->start, "First local day, YYYY-MM-DD");
  command->add_option("--end", options->end, "Last local day, YYYY-MM-DD (inclusive)");
  command->add_option("--mode", options->mode, "historical (default with dates), recent, forecast");
  command->add_option("--days", options->days, "Recent window: 7, 14, 21 or 30 days");
  command->add_option("--sources", options->sources,
                      "Comma list of nasa_power,open_meteo_archive,open_meteo_forecast,"
                      "met_norway,nws (default: chosen by mode, dates and region)");
  command->add_option("--format", options->format, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  command->add_option("--output", options->output, "Write the result to FILE instead of stdout");
  command->add_option("--data-dir", options->data_dir,
                      "Directory of the download cache (default $EVAPO_DATA_DIR, "
                      "$XDG_DATA_HOME/evapo, ./data)");
  command->add_option("--elevation", options->elevation_m, "Elevation in m (skips the lookup)");
  command->add_flag("--no-cache", options->no_cache, "Do not read or write the download cache");
  command->add_flag("--allow-sea", options->allow_sea,
                    "Calculate even over the sea (refused otherwise; never graded high)");
  command->add_option("--timeout", options->timeout_s, "Give up after this many seconds (120)");
  command->callback([options, &exit_code] { exit_code = run_calc(*options); });
}

const RegisterSubcommand kRegisterCalc{setup_calc};

}  // namespace
}  // namespace evapo::app
