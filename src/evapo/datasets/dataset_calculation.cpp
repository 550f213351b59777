#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include <evapo/core/agreement.hpp>
#include <evapo/core/flags.hpp>
#include <evapo/datasets/dataset_calculation.hpp>
#include <evapo/datasets/dataset_records.hpp>
#include <evapo/io/station_eto.hpp>
#include <evapo/io/table_writer.hpp>
#include <evapo/pipeline/warning.hpp>

namespace evapo::datasets {

namespace {

constexpr int kHoursPerDay = 24;
constexpr int kMaxComparisonDays = 366;
constexpr std::size_t kCancelCheckRows = 4096;

nlohmann::json rounded(double value) {
  const auto number = io::rounded_number(value);
  if (!number) return nullptr;
  return *number;
}

bool stop_requested(const pipeline::RunControl& control) {
  return (control.cancelled != nullptr && control.cancelled->load()) ||
         std::chrono::steady_clock::now() >= control.deadline;
}

domain::Error stop_error(const pipeline::RunControl& control) {
  if (control.cancelled != nullptr && control.cancelled->load()) {
    return domain::Error::cancelled("cancelled by request");
  }
  return domain::Error::timeout("the calculation ran past its deadline");
}

void report(pipeline::ProgressSink& sink, std::string_view step, int progress,
            std::string message) {
  int index = 0;
  for (int i = 0; i < pipeline::kTotalSteps; ++i) {
    if (step == pipeline::kSteps[i]) index = i + 1;
  }
  sink.report(pipeline::Progress{.step = std::string(step),
                                 .progress = progress,
                                 .current_step = index,
                                 .total_steps = pipeline::kTotalSteps,
                                 .message = std::move(message),
                                 .sources = {}});
}

class NullSink final : public pipeline::ProgressSink {
 public:
  void report(const pipeline::Progress&) override {}
};

struct DailySum {
  double eto_mm = 0.0;
  int hours = 0;
};

// The public sources' daily ETo over `days` (dates ascending), one pipeline request per at most
// 366 days between 1990-01-01 and the point's yesterday.
nlohmann::json fetch_gridded(const tasks::CalculationFn& public_sources,
                             const pipeline::CalculationRequest& request,
                             const std::vector<std::pair<std::string, double>>& days,
                             const pipeline::RunControl& control, nlohmann::json& warnings) {
  nlohmann::json results = nlohmann::json::array();
  if (days.empty()) return results;
  const pipeline::RequestLimits limits;
  const domain::Date yesterday =
      domain::add_days(pipeline::local_today(request.latitude_deg, request.longitude_deg), -1);
  domain::Date start = *domain::parse_iso_date(days.front().first);
  const domain::Date last = *domain::parse_iso_date(days.back().first);
  if (start < limits.earliest_date) start = limits.earliest_date;
  const domain::Date end_all = std::min(last, yesterday);
  if (last > yesterday || *domain::parse_iso_date(days.front().first) < limits.earliest_date) {
    warnings.push_back(pipeline::to_json(
        pipeline::warning::comparison_outside_sources(limits.earliest_date, yesterday)));
  }
  NullSink sink;
  while (start <= end_all) {
    const domain::Date end = std::min(end_all, domain::add_days(start, kMaxComparisonDays - 1));
    pipeline::CalculationRequest chunk{.latitude_deg = request.latitude_deg,
                                       .longitude_deg = request.longitude_deg,
                                       .start_date = start,
                                       .end_date = end,
                                       .mode = pipeline::Mode::historical,
                                       .sources = {},
                                       .elevation_m = request.elevation_m,
                                       .dataset = std::nullopt};
    auto computed = public_sources(chunk, sink, control);
    if (computed) {
      for (auto& day : (*computed)["results"]) results.push_back(std::move(day));
      for (const auto& warning : (*computed)["warnings"]) warnings.push_back(warning);
    } else if (computed.error().code == domain::ErrorCode::cancelled ||
               computed.error().code == domain::ErrorCode::timeout) {
      return results;
    } else {
      warnings.push_back(pipeline::to_json(
          pipeline::warning::comparison_failed(start, end, computed.error().message)));
    }
    start = domain::add_days(end, 1);
  }
  return results;
}

domain::Expected<nlohmann::json> run(storage::DatasetStore& store,
                                     const tasks::CalculationFn& public_sources,
                                     const pipeline::CalculationRequest& request,
                                     pipeline::ProgressSink& sink,
                                     const pipeline::RunControl& control) {
  const auto& job = *request.dataset;
  report(sink, "validating", 5, "reading the dataset");
  auto record = store.get(job.dataset_id);
  if (!record) return domain::fail(record.error());
  if (!*record)
    return domain::fail(domain::Error::not_found("dataset " + job.dataset_id + " was deleted"));
  auto meta = parse_meta((*record)->meta_json);
  if (!meta) return domain::fail(meta.error());
  if (job.eto.method == core::Method::hargreaves && meta->timestep == io::Timestep::hourly) {
    return domain::fail(domain::Error::invalid_argument(
        "method hargreaves is daily only (FAO-56 Eq. 52)", {{"method", "daily only"}}));
  }

  report(sink, "computing_eto", 30, fmt::format("{} rows", (*record)->row_count));
  const bool hourly = meta->timestep == io::Timestep::hourly;
  const std::string key = hourly ? "datetime" : "date";
  const std::string value_name = core::is_tall_reference(job.eto.method) ? "etr_mm" : "eto_mm";
  const auto key_index = static_cast<std::size_t>(
      std::find(meta->columns.begin(), meta->columns.end(), key) - meta->columns.begin());
  io::StationEtoCalculator calculator(meta->timestep, job.eto);
  nlohmann::json results = nlohmann::json::array();
  std::map<std::string, DailySum> daily;
  std::size_t count = 0;
  auto computed = read_stored_rows(store, **record, *meta,
                                   [&](const io::StationRow& row) -> domain::Expected<void> {
                                     if (++count % kCancelCheckRows == 0 && stop_requested(control))
                                       return domain::fail(stop_error(control));
                                     const core::EtoResult result = calculator.next(row);
                                     nlohmann::json flags = nlohmann::json::array();
                                     for (const auto name : core::flag_names(result.flags))
                                       flags.push_back(name);
                                     results.push_back({{key, row.fields[key_index]},
                                                        {value_name, rounded(result.et_mm())},
                                                        {"flags", std::move(flags)}});
                                     if (hourly && std::isfinite(result.et_mm())) {
                                       auto& day = daily[domain::format_iso_date(row.date)];
                                       day.eto_mm += result.et_mm();
                                       ++day.hours;
                                     }
                                     return {};
                                   });
  if (!computed) return domain::fail(computed.error());

  // Daily values: the rows themselves, or complete days of hourly rows.
  std::vector<std::pair<std::string, double>> station_days;
  nlohmann::json days = nlohmann::json::array();
  if (hourly) {
    for (const auto& [date, sum] : daily) {
      if (sum.hours != kHoursPerDay) continue;
      station_days.emplace_back(date, sum.eto_mm);
      days.push_back({{"date", date}, {value_name, rounded(sum.eto_mm)}, {"hours", sum.hours}});
    }
  } else {
    for (const auto& row : results) {
      if (row[value_name].is_number())
        station_days.emplace_back(row[key].get<std::string>(), row[value_name].get<double>());
    }
  }
  double total = 0.0;
  for (const auto& [date, value] : station_days) total += value;

  nlohmann::json warnings = nlohmann::json::array();
  const double tz_offset_h = meta->site.value("tz_offset_h", nlohmann::json()).is_number()
                                 ? meta->site["tz_offset_h"].get<double>()
                                 : 0.0;
  nlohmann::json data{
      {"results", std::move(results)},
      {"warnings", nlohmann::json::array()},
      {"location",
       {{"latitude", request.latitude_deg},
        {"longitude", request.longitude_deg},
        {"elevation_m", meta->site.value("elevation_m", nlohmann::json())},
        {"elevation_source", "station"},
        {"utc_offset_seconds", static_cast<int>(std::lround(tz_offset_h * 3600))}}},
      {"summary",
       {{"latitude", request.latitude_deg},
        {"longitude", request.longitude_deg},
        {"rows", (*record)->row_count},
        {"days", station_days.size()},
        {"days_with_eto", station_days.size()},
        {"eto_total_mm", station_days.empty() ? nlohmann::json() : nlohmann::json(total)},
        {"eto_mean_mm", station_days.empty()
                            ? nlohmann::json()
                            : nlohmann::json(total / static_cast<double>(station_days.size()))}}},
      {"dataset",
       {{"id", (*record)->id},
        {"name", (*record)->name},
        {"timestep", io::to_string(meta->timestep)},
        {"method", io::to_string(job.eto.method)},
        {"rso", io::to_string(job.eto.rso)},
        {"timestamp", io::to_string(job.eto.timestamp)},
        {"constants", io::to_string(job.eto.constants)},
        {"column", value_name},
        {"unit", hourly ? "mm/h" : "mm/d"}}}};
  if (hourly) data["days"] = std::move(days);

  if (job.comparison == pipeline::Comparison::public_sources) {
    if (core::is_tall_reference(job.eto.method)) {
      warnings.push_back(pipeline::to_json(pipeline::warning::comparison_tall_reference()));
    }
    report(sink, "downloading", 50, "public sources for the station's days");
    const nlohmann::json gridded =
        fetch_gridded(public_sources, request, station_days, control, warnings);
    if (stop_requested(control)) return domain::fail(stop_error(control));
    data["comparison"] = comparison_json(station_days, gridded);
  }
  data["warnings"] = warnings;
  report(sink, "finalizing", 100, "done");
  return data;
}

}  // namespace

nlohmann::json comparison_json(const std::vector<std::pair<std::string, double>>& station_days,
                               const nlohmann::json& gridded_results) {
  std::map<std::string, double> gridded;
  for (const auto& day : gridded_results) {
    if (day.contains("date") && day["date"].is_string() && day.contains("eto_mm") &&
        day["eto_mm"].is_number()) {
      gridded[day["date"].get<std::string>()] = day["eto_mm"].get<double>();
    }
  }
  std::vector<double> reference;
  std::vector<double> estimate;
  nlohmann::json days = nlohmann::json::array();
  for (const auto& [date, station] : station_days) {
    const auto found = gridded.find(date);
    const double value = found == gridded.end() ? NAN : found->second;
    reference.push_back(station);
    estimate.push_back(value);
    days.push_back({{"date", date},
                    {"station_eto_mm", rounded(station)},
                    {"gridded_eto_mm", rounded(value)},
                    {"difference_mm", rounded(value - station)}});
  }
  const core::Agreement score = core::agreement(reference, estimate);
  return {{"days", std::move(days)},
          {"summary",
           {{"pairs", score.pairs},
            {"bias_mm", rounded(score.bias)},
            {"rmse_mm", rounded(score.rmse)},
            {"r_squared", rounded(score.r_squared)},
            {"kge", rounded(score.kge)},
            {"station_mean_mm", rounded(score.reference_mean)},
            {"gridded_mean_mm", rounded(score.estimate_mean)}}}};
}

tasks::CalculationFn dataset_calculation(std::shared_ptr<storage::DatasetStore> store,
                                         tasks::CalculationFn public_sources) {
  return [store = std::move(store), public_sources = std::move(public_sources)](
             const pipeline::CalculationRequest& request, pipeline::ProgressSink& sink,
             const pipeline::RunControl& control) -> domain::Expected<nlohmann::json> {
    if (!request.dataset) {
      return domain::fail(domain::Error::invalid_argument("not a dataset calculation"));
    }
    return run(*store, public_sources, request, sink, control);
  };
}

tasks::CalculationFn route_calculations(tasks::CalculationFn dataset,
                                        tasks::CalculationFn pipeline) {
  return [dataset = std::move(dataset), pipeline = std::move(pipeline)](
             const pipeline::CalculationRequest& request, pipeline::ProgressSink& sink,
             const pipeline::RunControl& control) -> domain::Expected<nlohmann::json> {
    return request.dataset ? dataset(request, sink, control) : pipeline(request, sink, control);
  };
}

}  // namespace evapo::datasets
