#pragma once

// What a dataset's page shows of it, accumulated row by row while it is read: its period, its
// gaps and a summary of each known numeric column.

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/io/station_columns.hpp>
#include <evapo/io/station_row.hpp>

namespace evapo::datasets {

/// The time key of a row: minutes since 1970-01-01T00:00 of the station's local standard time
/// (a daily row is its day's midnight).
std::int64_t time_key(const io::StationRow& row);

/// "YYYY-MM-DD" (daily) or "YYYY-MM-DDTHH:MM" (hourly) of a time key.
std::string format_time_key(std::int64_t t, io::Timestep timestep);

/// Minutes between two consecutive rows of a timestep with no gap (1440 or 60).
std::int64_t step_minutes(io::Timestep timestep);

class DatasetStats {
 public:
  /// Gaps listed one by one, at most this many (all are counted).
  static constexpr std::size_t kMaxGapsListed = 100;

  DatasetStats(io::Timestep timestep, const std::vector<std::string>& header);

  /// Adds the next row, later than every row added before.
  void add(const io::StationRow& row);
  /// As above, with the row's fields as read (its own fields are not looked at).
  void add(const io::StationRow& row, std::span<const std::string_view> fields);

  std::int64_t rows() const { return rows_; }

  /// {"rows", "period": {"start","end"} | null, "gaps": {"count","missing_steps","list":
  /// [{"after","before","missing_steps"}]}, "summary": {column: {"count","missing","min","max",
  /// "mean"}}} for every known numeric column of the header (min/max/mean null without values).
  nlohmann::json to_json() const;

 private:
  struct ColumnSummary {
    std::size_t index = 0;
    const io::StationColumn* column = nullptr;
    std::int64_t count = 0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double sum = 0.0;
  };
  struct Gap {
    std::int64_t after = 0;
    std::int64_t before = 0;
  };

  io::Timestep timestep_;
  std::vector<ColumnSummary> columns_;
  std::int64_t rows_ = 0;
  std::int64_t first_ = 0;
  std::int64_t last_ = 0;
  std::int64_t gap_count_ = 0;
  std::int64_t missing_steps_ = 0;
  std::vector<Gap> gaps_;
  std::vector<std::string_view> fields_;  // add(row)'s views of the row's fields, reused
};

}  // namespace evapo::datasets
