#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include <evapo/datasets/dataset_stats.hpp>

namespace evapo::datasets {

namespace {

constexpr std::int64_t kMinutesPerDay = 24 * 60;

nlohmann::json number_or_null(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; });
}

}  // namespace

std::int64_t time_key(const io::StationRow& row) {
  const auto days = std::chrono::sys_days{row.date}.time_since_epoch().count();
  return static_cast<std::int64_t>(days) * kMinutesPerDay + row.minute_of_day;
}

std::string format_time_key(std::int64_t t, io::Timestep timestep) {
  const auto days =
      static_cast<int>(t >= 0 ? t / kMinutesPerDay : (t - kMinutesPerDay + 1) / kMinutesPerDay);
  const std::int64_t minute = t - std::int64_t{days} * kMinutesPerDay;
  const domain::Date date{std::chrono::sys_days{std::chrono::days{days}}};
  if (timestep == io::Timestep::daily) return domain::format_iso_date(date);
  return fmt::format("{}T{:02}:{:02}", domain::format_iso_date(date), minute / 60, minute % 60);
}

std::int64_t step_minutes(io::Timestep timestep) {
  return timestep == io::Timestep::daily ? kMinutesPerDay : 60;
}

DatasetStats::DatasetStats(io::Timestep timestep, const std::vector<std::string>& header)
    : timestep_(timestep) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (const auto* column = io::find_station_column(timestep, header[i])) {
      ColumnSummary summary;
      summary.index = i;
      summary.column = column;
      columns_.push_back(summary);
    }
  }
}

void DatasetStats::add(const io::StationRow& row) {
  fields_.assign(row.fields.begin(), row.fields.end());
  add(row, fields_);
}

void DatasetStats::add(const io::StationRow& row, std::span<const std::string_view> fields) {
  const std::int64_t t = time_key(row);
  if (rows_ == 0) {
    first_ = t;
  } else if (t - last_ > step_minutes(timestep_)) {
    ++gap_count_;
    missing_steps_ += (t - last_) / step_minutes(timestep_) - 1;
    if (gaps_.size() < kMaxGapsListed) gaps_.push_back({last_, t});
  }
  last_ = t;
  ++rows_;
  for (auto& summary : columns_) {
    // The cell as written: a site value may have come from the defaults instead.
    if (summary.index >= fields.size() || is_blank(fields[summary.index])) continue;
    const double value = row.*(summary.column->member);
    if (std::isnan(value)) continue;
    ++summary.count;
    summary.min = std::min(summary.min, value);
    summary.max = std::max(summary.max, value);
    summary.sum += value;
  }
}

nlohmann::json DatasetStats::to_json() const {
  nlohmann::json summary = nlohmann::json::object();
  for (const auto& column : columns_) {
    summary[std::string(column.column->name)] = {
        {"count", column.count},
        {"missing", rows_ - column.count},
        {"min", number_or_null(column.count > 0 ? column.min : NAN)},
        {"max", number_or_null(column.count > 0 ? column.max : NAN)},
        {"mean",
         number_or_null(column.count > 0 ? column.sum / static_cast<double>(column.count) : NAN)},
        {"meaning", column.column->meaning}};
  }
  nlohmann::json gaps = nlohmann::json::array();
  for (const auto& gap : gaps_) {
    gaps.push_back({{"after", format_time_key(gap.after, timestep_)},
                    {"before", format_time_key(gap.before, timestep_)},
                    {"missing_steps", (gap.before - gap.after) / step_minutes(timestep_) - 1}});
  }
  nlohmann::json period = nullptr;
  if (rows_ > 0) {
    period = {{"start", format_time_key(first_, timestep_)},
              {"end", format_time_key(last_, timestep_)}};
  }
  return {{"rows", rows_},
          {"period", std::move(period)},
          {"gaps", {{"count", gap_count_}, {"missing_steps", missing_steps_}, {"list", gaps}}},
          {"summary", std::move(summary)}};
}

}  // namespace evapo::datasets
