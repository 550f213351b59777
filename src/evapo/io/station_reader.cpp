#include <charconv>
#include <cmath>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include <evapo/io/csv_document.hpp>
#include <evapo/io/number.hpp>
#include <evapo/io/station_columns.hpp>
#include <evapo/io/station_reader.hpp>

namespace evapo::io {

namespace {

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

// When a site value must be known: always, for hourly data, or for the Penman-Monteith forms
// (air pressure from elevation, wind brought to 2 m); Hargreaves-Samani uses neither.
enum class NeededFor { every_method, hourly, penman_monteith };

struct SiteRequirement {
  std::string_view column;
  double SiteDefaults::*fallback;
  double StationRow::*member;
  std::string_view flag;
  NeededFor needed;
};

constexpr SiteRequirement kSiteRequirements[] = {
    {"latitude_deg", &SiteDefaults::latitude_deg, &StationRow::latitude_deg, "--latitude",
     NeededFor::every_method},
    {"elevation_m", &SiteDefaults::elevation_m, &StationRow::elevation_m, "--elevation",
     NeededFor::penman_monteith},
    {"wind_height_m", &SiteDefaults::wind_height_m, &StationRow::wind_height_m, "--wind-height",
     NeededFor::penman_monteith},
    {"longitude_deg", &SiteDefaults::longitude_deg, &StationRow::longitude_deg, "--longitude",
     NeededFor::hourly},
    {"tz_offset_h", &SiteDefaults::tz_offset_h, &StationRow::tz_offset_h, "--tz-offset",
     NeededFor::hourly},
};

bool is_needed(const SiteRequirement& site, const StationReadOptions& options) {
  switch (site.needed) {
    case NeededFor::every_method:
      return true;
    case NeededFor::hourly:
      return options.timestep == Timestep::hourly;
    case NeededFor::penman_monteith:
      return options.site_values == SiteValuesUsed::all;
  }
  return true;
}

// "YYYY-MM-DDTHH:MM", hour 00-23, minute 00-59.
std::optional<std::pair<domain::Date, int>> parse_datetime(std::string_view text) {
  if (text.size() != 16 || text[10] != 'T' || text[13] != ':') return std::nullopt;
  const auto date = domain::parse_iso_date(text.substr(0, 10));
  if (!date) return std::nullopt;
  auto two_digits = [&](std::size_t at) -> int {
    const char a = text[at];
    const char b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    return (a - '0') * 10 + (b - '0');
  };
  const int hour = two_digits(11);
  const int minute = two_digits(14);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return std::nullopt;
  return std::pair{*date, hour * 60 + minute};
}

std::string format_value(double value) {
  return fmt::format("{:g}", value);
}

class RowValidator {
 public:
  RowValidator(const CsvDocument& document, const StationReadOptions& options)
      : header_(document.header), header_line_(document.header_line), options_(options) {}

  // Maps header names to columns; fails on a missing required column.
  domain::Expected<void> bind_header() {
    const std::string_view key = options_.timestep == Timestep::daily ? "date" : "datetime";
    key_index_ = index_of(key);
    if (key_index_ == kNoColumn)
      return domain::fail(header_error(fmt::format("missing column '{}'", key)));
    for (const auto name : required_columns()) {
      if (index_of(name) == kNoColumn) {
        return domain::fail(header_error(fmt::format("missing column '{}'", name)));
      }
    }
    if (options_.timestep == Timestep::hourly && index_of("tdew_c") == kNoColumn &&
        index_of("ea_kpa") == kNoColumn && index_of("rh_pct") == kNoColumn) {
      return domain::fail(
          header_error("hourly data need humidity: a tdew_c, ea_kpa or rh_pct column"));
    }
    for (const auto& site : kSiteRequirements) {
      if (!is_needed(site, options_)) continue;
      if (index_of(site.column) == kNoColumn && std::isnan(options_.site.*site.fallback)) {
        return domain::fail(
            header_error(fmt::format("no {} column and no {} given: the site's {} is required",
                                     site.column, site.flag, site.column)));
      }
    }
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (const auto* column = find_station_column(options_.timestep, header_[i])) {
        bound_.push_back({i, column});
      }
    }
    return {};
  }

  // Parses and checks one record; the error names its line, field and column.
  domain::Expected<StationRow> validate(const CsvRecord& record) const {
    StationRow row;
    row.line = record.line;
    if (record.fields.size() != header_.size()) {
      return domain::fail(error_at(record.line, std::min(record.fields.size(), header_.size()) + 1,
                                   "", field_count_reason(header_.size(), record.fields.size())));
    }
    const std::string& key_text = record.fields[key_index_];
    if (options_.timestep == Timestep::daily) {
      const auto date = domain::parse_iso_date(key_text);
      if (!date)
        return domain::fail(field_error(record, key_index_,
                                        fmt::format("'{}' is not a date YYYY-MM-DD", key_text)));
      row.date = *date;
    } else {
      const auto when = parse_datetime(key_text);
      if (!when) {
        return domain::fail(
            field_error(record, key_index_,
                        fmt::format("'{}' is not a local time YYYY-MM-DDTHH:MM", key_text)));
      }
      row.date = when->first;
      row.minute_of_day = when->second;
    }

    for (const auto& [index, column] : bound_) {
      const auto parsed = parse_number(record.fields[index]);
      if (parsed.kind == ParsedNumber::Kind::invalid) {
        return domain::fail(
            field_error(record, index, fmt::format("'{}' is not a number", record.fields[index])));
      }
      if (parsed.kind == ParsedNumber::Kind::empty) continue;
      if (parsed.value < column->min || parsed.value > column->max) {
        return domain::fail(
            field_error(record, index,
                        fmt::format("{} is outside the physically possible range [{}, {}] of {}",
                                    record.fields[index], format_value(column->min),
                                    format_value(column->max), column->meaning)));
      }
      row.*(column->member) = parsed.value;
    }

    if (auto checked = check_required_and_site(record, row); !checked) {
      return domain::fail(std::move(checked.error()));
    }
    if (auto checked = check_consistency(record, row); !checked) {
      return domain::fail(std::move(checked.error()));
    }
    row.fields = record.fields;
    return row;
  }

 private:
  domain::Expected<void> check_required_and_site(const CsvRecord& record, StationRow& row) const {
    for (const auto name : required_columns()) {
      const auto* column = find_station_column(options_.timestep, name);
      if (std::isnan(row.*(column->member))) {
        return domain::fail(field_error(record, index_of(name), "a value is required"));
      }
    }
    if (options_.timestep == Timestep::hourly && std::isnan(row.tdew_c) && std::isnan(row.ea_kpa) &&
        std::isnan(row.rh_pct)) {
      const auto index = index_of("tdew_c") != kNoColumn   ? index_of("tdew_c")
                         : index_of("ea_kpa") != kNoColumn ? index_of("ea_kpa")
                                                           : index_of("rh_pct");
      return domain::fail(field_error(
          record, index, "hourly rows need a humidity value (tdew_c, ea_kpa or rh_pct)"));
    }
    for (const auto& site : kSiteRequirements) {
      if (!std::isnan(row.*site.member)) continue;
      row.*site.member = options_.site.*site.fallback;
      if (!is_needed(site, options_)) continue;
      if (std::isnan(row.*site.member)) {
        return domain::fail(
            field_error(record, index_of(site.column),
                        fmt::format("a value is required (or give {})", site.flag)));
      }
    }
    return {};
  }

  domain::Expected<void> check_consistency(const CsvRecord& record, const StationRow& row) const {
    if (row.tmin_c > row.tmax_c) {
      return domain::fail(
          field_error(record, index_of("tmin_c"),
                      fmt::format("Tmin {} is above Tmax {}", format_value(row.tmin_c),
                                  format_value(row.tmax_c))));
    }
    if (row.rh_min_pct > row.rh_max_pct) {
      return domain::fail(
          field_error(record, index_of("rh_min_pct"),
                      fmt::format("RHmin {} is above RHmax {}", format_value(row.rh_min_pct),
                                  format_value(row.rh_max_pct))));
    }
    return {};
  }

  // Daily: the temperature range; hourly: temperature and radiation (FAO-56 Eq. 53 has no
  // missing-radiation path).
  std::vector<std::string_view> required_columns() const {
    if (options_.timestep == Timestep::daily) return {"tmax_c", "tmin_c"};
    return {"t_c", "rs_mj_m2"};
  }

  std::size_t index_of(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] == name) return i;
    }
    return kNoColumn;
  }

  domain::Error error_at(std::size_t line, std::size_t field, std::string_view column,
                         std::string_view reason) const {
    if (column.empty()) {
      return domain::Error::invalid_argument(
          fmt::format("{}:{}:{}: {}", options_.source_name, line, field, reason));
    }
    return domain::Error::invalid_argument(
        fmt::format("{}:{}:{}: {}: {}", options_.source_name, line, field, column, reason),
        {{std::string(column), std::string(reason)}});
  }

  domain::Error field_error(const CsvRecord& record, std::size_t index,
                            std::string_view reason) const {
    return error_at(record.line, index + 1, header_[index], reason);
  }

  domain::Error header_error(std::string_view reason) const {
    return domain::Error::invalid_argument(
        fmt::format("{}:{}: {}", options_.source_name, header_line_, reason));
  }

  struct BoundColumn {
    std::size_t index;
    const StationColumn* column;
  };

  const std::vector<std::string>& header_;
  std::size_t header_line_;
  const StationReadOptions& options_;
  std::size_t key_index_ = kNoColumn;
  std::vector<BoundColumn> bound_;
};

}  // namespace

domain::Expected<StationTable> read_station_csv(std::string_view text,
                                                const StationReadOptions& options) {
  auto document = parse_csv(text, options.source_name, RaggedRecords::keep);
  if (!document) return domain::fail(std::move(document.error()));

  RowValidator validator(*document, options);
  if (auto bound = validator.bind_header(); !bound) return domain::fail(std::move(bound.error()));

  StationTable table;
  table.rows.reserve(document->records.size());
  for (const auto& record : document->records) {
    auto row = validator.validate(record);
    if (row) {
      table.rows.push_back(std::move(*row));
    } else if (options.invalid_rows == InvalidRows::skip) {
      table.rejected.push_back(std::move(row.error().message));
    } else {
      return domain::fail(std::move(row.error()));
    }
  }
  table.header = std::move(document->header);
  return table;
}

}  // namespace evapo::io
