#pragma once

#include <span>
#include <string_view>

#include <evapo/io/station_row.hpp>

namespace evapo::io {

/// A numeric column evapo understands: its CSV name, where it goes in a StationRow, and the
/// range of physically possible values (inclusive).
struct StationColumn {
  std::string_view name;
  double StationRow::*member;
  double min;
  double max;
  std::string_view meaning;
};

/// The numeric columns of a daily station file (`date` is parsed separately).
std::span<const StationColumn> daily_columns();

/// The numeric columns of an hourly station file (`datetime` is parsed separately).
std::span<const StationColumn> hourly_columns();

/// The numeric columns for `timestep`.
std::span<const StationColumn> station_columns(Timestep timestep);

/// The numeric column called `name` for `timestep`, or nullptr if evapo does not know it (the
/// column is then passed through untouched).
const StationColumn* find_station_column(Timestep timestep, std::string_view name);

}  // namespace evapo::io
