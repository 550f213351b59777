// Fuzzes the station reader, daily and hourly, failing and skipping: it must never crash, every
// accepted row must hold values inside the physical ranges, and the writers must accept it.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <evapo/io/station_columns.hpp>
#include <evapo/io/station_reader.hpp>
#include <evapo/io/table_writer.hpp>

namespace {

void check(std::string_view text, evapo::io::Timestep timestep, evapo::io::InvalidRows invalid) {
  const evapo::io::StationReadOptions options{.source_name = "fuzz.csv",
                                              .timestep = timestep,
                                              .invalid_rows = invalid,
                                              .site = {.latitude_deg = 40.0,
                                                       .longitude_deg = -105.0,
                                                       .elevation_m = 1500.0,
                                                       .tz_offset_h = -7.0}};
  const auto table = evapo::io::read_station_csv(text, options);
  if (!table) return;
  evapo::io::OutputTable output;
  output.columns = table->header;
  for (const auto& row : table->rows) {
    if (row.fields.size() != table->header.size()) std::abort();
    for (const auto& column : evapo::io::station_columns(timestep)) {
      const double value = row.*(column.member);
      if (!std::isnan(value) && (value < column.min || value > column.max)) std::abort();
    }
    if (row.tmin_c > row.tmax_c) std::abort();
    output.rows.emplace_back(row.fields.begin(), row.fields.end());
  }
  (void)evapo::io::write_csv(output);
  (void)evapo::io::write_json(output, {{"rows", table->rows.size()}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto timestep : {evapo::io::Timestep::daily, evapo::io::Timestep::hourly}) {
    check(text, timestep, evapo::io::InvalidRows::fail);
    check(text, timestep, evapo::io::InvalidRows::skip);
  }
  return 0;
}
