#pragma once

// What comes beside an uploaded station file (query parameters with text/csv, form fields with
// multipart/form-data): the dataset's name, the site values `evapo eto` takes as flags, named as
// its columns, and how to treat invalid rows.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>
#include <evapo/io/station_reader.hpp>

namespace evapo::server {

/// Whether appended rows may replace stored ones at the same time stamps.
enum class OverlapReplace { no, yes };

struct UploadParameters {
  std::string name;       // "" : from the file name
  std::string file_name;  // "" : upload.csv
  io::SiteDefaults site;
  io::InvalidRows invalid_rows = io::InvalidRows::fail;  // skip_invalid=true: skip
  OverlapReplace replace = OverlapReplace::no;           // appends: replace=true
  std::string upload_id;                                 // "" : the server makes one
};

/// The names read: name, file_name, latitude_deg, longitude_deg, elevation_m, wind_height_m,
/// tz_offset_h, skip_invalid, replace, upload_id.
bool is_upload_parameter(std::string_view name);

/// Parses and range-checks `values` (name -> text; empty text = not given) as `evapo eto` checks
/// its flags. Errors: invalid_argument with one detail per bad value.
domain::Expected<UploadParameters> parse_upload_parameters(
    const std::map<std::string, std::string>& values);

}  // namespace evapo::server
