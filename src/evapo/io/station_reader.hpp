#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/io/station_row.hpp>

namespace evapo::io {

/// What to do with a row that fails validation.
enum class InvalidRows {
  fail,  // the whole read fails with that row's message
  skip,  // the row is left out and its message kept in StationTable::rejected
};

/// Site values used where a row has no column for them or leaves the cell empty (the CLI flags).
/// NaN = not given.
struct SiteDefaults {
  double latitude_deg = domain::kMissing;
  double longitude_deg = domain::kMissing;
  double elevation_m = domain::kMissing;
  double wind_height_m = 2.0;
  double tz_offset_h = domain::kMissing;
};

/// Which site values the method to be run uses: every one, or, for a temperature-only method
/// (Hargreaves-Samani, FAO-56 Eq. 52: temperature and Ra), latitude alone.
enum class SiteValuesUsed { all, latitude_only };

struct StationReadOptions {
  std::string source_name = "-";  // file name used in messages ("-" for stdin)
  Timestep timestep = Timestep::daily;
  InvalidRows invalid_rows = InvalidRows::fail;
  SiteDefaults site;
  SiteValuesUsed site_values = SiteValuesUsed::all;
};

/// A station file read and validated: the header as written, and every accepted row.
struct StationTable {
  std::vector<std::string> header;
  std::vector<StationRow> rows;
  std::vector<std::string> rejected;  // one message per row left out (InvalidRows::skip)
};

/// Reads a station CSV (see parse_csv for the syntax). Daily files need `date` (YYYY-MM-DD),
/// `tmax_c` and `tmin_c`; hourly files `datetime` (YYYY-MM-DDTHH:MM), `t_c`, `rs_mj_m2` and one
/// of `tdew_c`, `ea_kpa`, `rh_pct`, each with a value in every row. Every site needs
/// latitude and elevation (latitude only with SiteValuesUsed::latitude_only), and hourly files
/// longitude and tz offset, from a column or `options.site`; a value given is checked even when
/// unused. Numbers are parsed strictly; a value outside its column's physical range,
/// Tmin > Tmax or RHmin > RHmax makes the row invalid. Unknown columns are kept as text.
/// Errors (invalid_argument) read "<file>:<line>:<field>: <column>: <reason>"; a problem with the
/// file as a whole (syntax, a missing required column) fails even with InvalidRows::skip.
domain::Expected<StationTable> read_station_csv(std::string_view text,
                                                const StationReadOptions& options);

}  // namespace evapo::io
