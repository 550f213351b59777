#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/io/csv_document.hpp>
#include <evapo/io/station_row.hpp>

namespace evapo::io {

/// What to do with a row that fails validation.
enum class InvalidRows {
  fail,  // the whole read fails with that row's message
  skip,  // the row is left out and its problem kept in StationTable::rejected
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

/// How messages name what stands in for a missing site column.
enum class SiteValueNames {
  cli_flags,   // "--latitude" (evapo eto)
  parameters,  // "the latitude_deg parameter" (an upload's query or form fields)
};

/// Which site values the method to be run uses: every one, or, for a temperature-only method
/// (Hargreaves-Samani, FAO-56 Eq. 52: temperature and Ra), latitude alone.
enum class SiteValuesUsed { all, latitude_only };

struct StationReadOptions {
  std::string source_name = "-";  // file name used in messages ("-" for stdin)
  /// nullopt: from the header, `date` -> daily, `datetime` -> hourly.
  std::optional<Timestep> timestep = Timestep::daily;
  InvalidRows invalid_rows = InvalidRows::fail;
  SiteDefaults site;
  SiteValuesUsed site_values = SiteValuesUsed::all;
  SiteValueNames site_names = SiteValueNames::cli_flags;
  /// With InvalidRows::skip, the problems kept beyond this are only counted.
  std::size_t max_rejected_kept = std::numeric_limits<std::size_t>::max();
};

/// Why one row was refused: where, and the message `evapo eto` prints.
struct RowProblem {
  std::size_t line = 0;   // 1-based line the row starts on
  std::size_t field = 0;  // 1-based field number
  std::string column;     // the column at fault; empty when the row as a whole is (field count)
  std::string reason;
  std::string message;  // "<file>:<line>:<field>: <column>: <reason>"
};

/// A station file read and validated: the header as written, and every accepted row.
struct StationTable {
  std::vector<std::string> header;
  std::vector<StationRow> rows;
  std::vector<RowProblem> rejected;  // rows left out (InvalidRows::skip), at most the kept ones
  std::size_t rejected_count = 0;    // every row left out
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

/// Called with each valid row in file order: its values (row.fields is left empty) and its fields
/// as read, in header order, valid only during the call.
using StationRowVisitor =
    std::function<void(const StationRow& row, std::span<const std::string_view> fields)>;

/// read_station_csv for text that arrives in pieces (an upload): each push validates the rows
/// its piece completes and hands them out, so a caller never needs the whole file in memory.
/// The pieces of a text give exactly the rows, problems and errors read_station_csv gives for
/// it. After an error the reader stays failed.
class StationReader {
 public:
  explicit StationReader(StationReadOptions options);
  ~StationReader();
  StationReader(StationReader&&) noexcept;
  StationReader& operator=(StationReader&&) noexcept;

  /// Reads `chunk`; visits the valid rows it completes (no copy of their fields).
  domain::Expected<void> push(std::string_view chunk, const StationRowVisitor& visit);

  /// The end of the text (the last row, and the header checks of a file without rows).
  domain::Expected<void> finish(const StationRowVisitor& visit);

  /// As above, appending the valid rows, fields copied, to `rows`.
  domain::Expected<void> push(std::string_view chunk, std::vector<StationRow>& rows);
  domain::Expected<void> finish(std::vector<StationRow>& rows);

  /// The header as written, once read and checked (nullptr before).
  const std::vector<std::string>* header() const;

  /// The options' timestep, or the one the header gave (meaningful once header() is set).
  Timestep timestep() const;

  /// Rows left out so far (InvalidRows::skip): the first options.max_rejected_kept of them.
  const std::vector<RowProblem>& rejected() const { return rejected_; }
  std::size_t rejected_count() const { return rejected_count_; }

 private:
  class Validator;
  domain::Expected<void> read(std::string_view chunk, bool final, const StationRowVisitor& visit);
  domain::Expected<void> bind_header();

  StationReadOptions options_;
  CsvStreamParser parser_;
  std::unique_ptr<Validator> validator_;
  std::vector<RowProblem> rejected_;
  std::size_t rejected_count_ = 0;
  std::optional<domain::Error> failed_;
};

/// The error of a refused row (invalid_argument, its message, {column, reason} as detail).
domain::Error to_error(const RowProblem& problem);

}  // namespace evapo::io
