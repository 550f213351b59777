#include <cmath>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <tl/expected.hpp>

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

bool is_needed(const SiteRequirement& site, Timestep timestep, SiteValuesUsed site_values) {
  switch (site.needed) {
    case NeededFor::every_method:
      return true;
    case NeededFor::hourly:
      return timestep == Timestep::hourly;
    case NeededFor::penman_monteith:
      return site_values == SiteValuesUsed::all;
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

domain::Expected<Timestep> timestep_of_header(const std::vector<std::string>& header,
                                              std::string_view source_name,
                                              std::size_t header_line) {
  bool has_date = false;
  bool has_datetime = false;
  for (const auto& name : header) {
    has_date = has_date || name == "date";
    has_datetime = has_datetime || name == "datetime";
  }
  if (has_date != has_datetime) return has_date ? Timestep::daily : Timestep::hourly;
  return domain::fail(domain::Error::invalid_argument(fmt::format(
      "{}:{}: {}", source_name, header_line,
      has_date ? "both a 'date' and a 'datetime' column: keep one (date: daily rows, datetime: "
                 "hourly rows)"
               : "missing column 'date' (daily rows) or 'datetime' (hourly rows)")));
}

}  // namespace

// Checks one record at a time against the header it was built from.
class StationReader::Validator {
 public:
  Validator(std::vector<std::string> header, std::size_t header_line, Timestep timestep,
            const StationReadOptions& options)
      : header_(std::move(header)),
        header_line_(header_line),
        timestep_(timestep),
        source_name_(options.source_name),
        site_(options.site),
        site_values_(options.site_values),
        site_names_(options.site_names) {}

  Timestep timestep() const { return timestep_; }
  const std::vector<std::string>& header() const { return header_; }

  // Maps header names to columns; fails on a missing required column.
  domain::Expected<void> bind_header() {
    const std::string_view key = timestep_ == Timestep::daily ? "date" : "datetime";
    key_index_ = index_of(key);
    if (key_index_ == kNoColumn)
      return domain::fail(header_error(fmt::format("missing column '{}'", key)));
    for (const auto name : required_columns()) {
      if (index_of(name) == kNoColumn) {
        return domain::fail(header_error(fmt::format("missing column '{}'", name)));
      }
    }
    if (timestep_ == Timestep::hourly && index_of("tdew_c") == kNoColumn &&
        index_of("ea_kpa") == kNoColumn && index_of("rh_pct") == kNoColumn) {
      return domain::fail(
          header_error("hourly data need humidity: a tdew_c, ea_kpa or rh_pct column"));
    }
    for (const auto& site : kSiteRequirements) {
      if (!is_needed(site, timestep_, site_values_)) continue;
      if (index_of(site.column) == kNoColumn && std::isnan(site_.*site.fallback)) {
        return domain::fail(
            header_error(fmt::format("no {} column and no {} given: the site's {} is required",
                                     site.column, stand_in(site), site.column)));
      }
    }
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (const auto* column = find_station_column(timestep_, header_[i])) {
        bound_.push_back({i, column});
      }
    }
    for (const auto name : required_columns()) {
      required_.push_back({index_of(name), find_station_column(timestep_, name)});
    }
    return {};
  }

  // Parses and checks one record into `row` (fields left empty); the problem names its line,
  // field and column.
  std::optional<RowProblem> validate(const CsvRecordView& record, StationRow& row) const {
    row.line = record.line;
    const auto& fields = record.fields;
    if (fields.size() != header_.size()) {
      return problem_at(record.line, std::min(fields.size(), header_.size()) + 1, "",
                        field_count_reason(header_.size(), fields.size()));
    }
    const std::string_view key_text = fields[key_index_];
    if (timestep_ == Timestep::daily) {
      const auto date = domain::parse_iso_date(key_text);
      if (!date) {
        return field_problem(record, key_index_,
                             fmt::format("'{}' is not a date YYYY-MM-DD", key_text));
      }
      row.date = *date;
    } else {
      const auto when = parse_datetime(key_text);
      if (!when) {
        return field_problem(record, key_index_,
                             fmt::format("'{}' is not a local time YYYY-MM-DDTHH:MM", key_text));
      }
      row.date = when->first;
      row.minute_of_day = when->second;
    }

    for (const auto& [index, column] : bound_) {
      const auto parsed = parse_number(fields[index]);
      if (parsed.kind == ParsedNumber::Kind::invalid) {
        return field_problem(record, index, fmt::format("'{}' is not a number", fields[index]));
      }
      if (parsed.kind == ParsedNumber::Kind::empty) continue;
      if (parsed.value < column->min || parsed.value > column->max) {
        return field_problem(
            record, index,
            fmt::format("{} is outside the physically possible range [{}, {}] of {}", fields[index],
                        format_value(column->min), format_value(column->max), column->meaning));
      }
      row.*(column->member) = parsed.value;
    }

    if (auto problem = check_required_and_site(record, row)) return problem;
    return check_consistency(record, row);
  }

 private:
  std::optional<RowProblem> check_required_and_site(const CsvRecordView& record,
                                                    StationRow& row) const {
    for (const auto& [index, column] : required_) {
      if (std::isnan(row.*(column->member)))
        return field_problem(record, index, "a value is required");
    }
    if (timestep_ == Timestep::hourly && std::isnan(row.tdew_c) && std::isnan(row.ea_kpa) &&
        std::isnan(row.rh_pct)) {
      const auto index = index_of("tdew_c") != kNoColumn   ? index_of("tdew_c")
                         : index_of("ea_kpa") != kNoColumn ? index_of("ea_kpa")
                                                           : index_of("rh_pct");
      return field_problem(record, index,
                           "hourly rows need a humidity value (tdew_c, ea_kpa or rh_pct)");
    }
    for (const auto& site : kSiteRequirements) {
      if (!std::isnan(row.*site.member)) continue;
      row.*site.member = site_.*site.fallback;
      if (!is_needed(site, timestep_, site_values_)) continue;
      if (std::isnan(row.*site.member)) {
        return field_problem(
            record, index_of(site.column),
            fmt::format("a value is required (or give {}{})",
                        site_names_ == SiteValueNames::parameters ? "the " : "", stand_in(site)));
      }
    }
    return std::nullopt;
  }

  std::optional<RowProblem> check_consistency(const CsvRecordView& record,
                                              const StationRow& row) const {
    if (row.tmin_c > row.tmax_c) {
      return field_problem(record, index_of("tmin_c"),
                           fmt::format("Tmin {} is above Tmax {}", format_value(row.tmin_c),
                                       format_value(row.tmax_c)));
    }
    if (row.rh_min_pct > row.rh_max_pct) {
      return field_problem(record, index_of("rh_min_pct"),
                           fmt::format("RHmin {} is above RHmax {}", format_value(row.rh_min_pct),
                                       format_value(row.rh_max_pct)));
    }
    return std::nullopt;
  }

  std::string stand_in(const SiteRequirement& site) const {
    if (site_names_ == SiteValueNames::cli_flags) return std::string(site.flag);
    return fmt::format("{} parameter", site.column);
  }

  // Daily: the temperature range; hourly: temperature and radiation (FAO-56 Eq. 53 has no
  // missing-radiation path).
  std::vector<std::string_view> required_columns() const {
    if (timestep_ == Timestep::daily) return {"tmax_c", "tmin_c"};
    return {"t_c", "rs_mj_m2"};
  }

  std::size_t index_of(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] == name) return i;
    }
    return kNoColumn;
  }

  RowProblem problem_at(std::size_t line, std::size_t field, std::string_view column,
                        std::string_view reason) const {
    RowProblem problem{.line = line,
                       .field = field,
                       .column = std::string(column),
                       .reason = std::string(reason),
                       .message = {}};
    problem.message =
        column.empty() ? fmt::format("{}:{}:{}: {}", source_name_, line, field, reason)
                       : fmt::format("{}:{}:{}: {}: {}", source_name_, line, field, column, reason);
    return problem;
  }

  RowProblem field_problem(const CsvRecordView& record, std::size_t index,
                           std::string_view reason) const {
    return problem_at(record.line, index + 1, header_[index], reason);
  }

  domain::Error header_error(std::string_view reason) const {
    return domain::Error::invalid_argument(
        fmt::format("{}:{}: {}", source_name_, header_line_, reason));
  }

  struct BoundColumn {
    std::size_t index;
    const StationColumn* column;
  };

  std::vector<std::string> header_;
  std::size_t header_line_;
  Timestep timestep_;
  std::string source_name_;
  SiteDefaults site_;
  SiteValuesUsed site_values_;
  SiteValueNames site_names_;
  std::size_t key_index_ = kNoColumn;
  std::vector<BoundColumn> bound_;
  std::vector<BoundColumn> required_;  // required_columns(), bound
};

domain::Error to_error(const RowProblem& problem) {
  if (problem.column.empty()) return domain::Error::invalid_argument(problem.message);
  return domain::Error::invalid_argument(problem.message, {{problem.column, problem.reason}});
}

StationReader::StationReader(StationReadOptions options)
    : options_(std::move(options)), parser_(options_.source_name, RaggedRecords::keep) {}

StationReader::~StationReader() = default;
StationReader::StationReader(StationReader&&) noexcept = default;
StationReader& StationReader::operator=(StationReader&&) noexcept = default;

const std::vector<std::string>* StationReader::header() const {
  return validator_ ? &validator_->header() : nullptr;
}

Timestep StationReader::timestep() const {
  if (validator_) return validator_->timestep();
  return options_.timestep.value_or(Timestep::daily);
}

domain::Expected<void> StationReader::bind_header() {
  Timestep timestep = Timestep::daily;
  if (options_.timestep) {
    timestep = *options_.timestep;
  } else {
    auto detected =
        timestep_of_header(*parser_.header(), options_.source_name, parser_.header_line());
    if (!detected) return domain::fail(std::move(detected.error()));
    timestep = *detected;
  }
  auto validator =
      std::make_unique<Validator>(*parser_.header(), parser_.header_line(), timestep, options_);
  if (auto bound = validator->bind_header(); !bound) return bound;
  validator_ = std::move(validator);
  return {};
}

domain::Expected<void> StationReader::read(std::string_view chunk, bool final,
                                           const StationRowVisitor& visit) {
  if (failed_) return domain::fail(*failed_);
  // Each record is checked as the parser completes it, so the first problem in file order wins
  // (a row's before a later syntax error).
  const auto check = [&](const CsvRecordView& record) -> domain::Expected<void> {
    if (!validator_) {
      if (auto bound = bind_header(); !bound) return bound;
    }
    StationRow row;
    auto problem = validator_->validate(record, row);
    if (!problem) {
      visit(row, record.fields);
      return {};
    }
    if (options_.invalid_rows == InvalidRows::fail) return domain::fail(to_error(*problem));
    ++rejected_count_;
    if (rejected_.size() < options_.max_rejected_kept) rejected_.push_back(std::move(*problem));
    return {};
  };
  auto done = final ? parser_.finish(check) : parser_.push(chunk, check);
  // A header read before any row is checked too; its problem comes before a later syntax error.
  if (!validator_ && parser_.header() != nullptr) {
    if (auto bound = bind_header(); !bound) done = std::move(bound);
  }
  if (!done) failed_ = done.error();
  return done;
}

domain::Expected<void> StationReader::push(std::string_view chunk, const StationRowVisitor& visit) {
  return read(chunk, false, visit);
}

domain::Expected<void> StationReader::finish(const StationRowVisitor& visit) {
  return read({}, true, visit);
}

namespace {

StationRowVisitor copy_into(std::vector<StationRow>& rows) {
  return [&rows](const StationRow& row, std::span<const std::string_view> fields) {
    auto& kept = rows.emplace_back(row);
    kept.fields.assign(fields.begin(), fields.end());
  };
}

}  // namespace

domain::Expected<void> StationReader::push(std::string_view chunk, std::vector<StationRow>& rows) {
  return push(chunk, copy_into(rows));
}

domain::Expected<void> StationReader::finish(std::vector<StationRow>& rows) {
  return finish(copy_into(rows));
}

domain::Expected<StationTable> read_station_csv(std::string_view text,
                                                const StationReadOptions& options) {
  StationReader reader(options);
  StationTable table;
  auto read = reader.push(text, table.rows).and_then([&]() -> domain::Expected<void>::Base {
    return reader.finish(table.rows);
  });
  if (!read) return domain::fail(std::move(read.error()));
  table.header = *reader.header();
  table.rejected = reader.rejected();
  table.rejected_count = reader.rejected_count();
  return table;
}

}  // namespace evapo::io
