#include <cmath>
#include <utility>

#include <fmt/format.h>

#include <evapo/datasets/dataset_records.hpp>
#include <evapo/datasets/dataset_stats.hpp>
#include <evapo/io/csv_document.hpp>
#include <evapo/io/number.hpp>
#include <evapo/io/station_columns.hpp>
#include <evapo/io/station_eto.hpp>

namespace evapo::datasets {

namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr std::size_t kMaxOverlapsListed = 100;

nlohmann::json number_or_null(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

double number_or_nan(const nlohmann::json& json, const char* field) {
  const auto it = json.find(field);
  return it != json.end() && it->is_number() ? it->get<double>() : domain::kMissing;
}

nlohmann::json site_defaults_json(const io::SiteDefaults& site) {
  return {{"latitude_deg", number_or_null(site.latitude_deg)},
          {"longitude_deg", number_or_null(site.longitude_deg)},
          {"elevation_m", number_or_null(site.elevation_m)},
          {"wind_height_m", number_or_null(site.wind_height_m)},
          {"tz_offset_h", number_or_null(site.tz_offset_h)}};
}

std::string header_line(const std::vector<std::string>& columns) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) line.push_back(',');
    io::append_csv_field(line, columns[i]);
  }
  line.push_back('\n');
  return line;
}

// Feeds stored rows (CSV lines) to `evapo eto`'s reader, a page at a time.
class StoredRowReader {
 public:
  StoredRowReader(const storage::DatasetRecord& record, const DatasetMeta& meta)
      : reader_(io::StationReadOptions{.source_name = "dataset " + record.id,
                                       .timestep = meta.timestep,
                                       .invalid_rows = io::InvalidRows::fail,
                                       .site = meta.site_defaults,
                                       .site_names = io::SiteValueNames::cli_flags,
                                       .max_rejected_kept = 0}),
        pending_(header_line(meta.columns)) {}

  using Visit = std::function<domain::Expected<void>(const io::StationRow&)>;

  domain::Expected<void> add(std::string_view record, const Visit& visit) {
    pending_.append(record);
    pending_.push_back('\n');
    if (pending_.size() < kFlushBytes) return {};
    return flush(visit);
  }

  domain::Expected<void> finish(const Visit& visit) {
    if (auto flushed = flush(visit); !flushed) return flushed;
    auto finished = reader_.finish(rows_);
    if (!finished) return internal(finished.error());
    return deliver(visit);
  }

 private:
  domain::Expected<void> flush(const Visit& visit) {
    auto pushed = reader_.push(pending_, rows_);
    pending_.clear();
    if (!pushed) return internal(pushed.error());
    return deliver(visit);
  }

  domain::Expected<void> deliver(const Visit& visit) {
    for (const auto& row : rows_) {
      if (auto visited = visit(row); !visited) return visited;
    }
    rows_.clear();
    return {};
  }

  static domain::Expected<void> internal(const domain::Error& error) {
    return domain::fail(domain::Error::internal("a stored row no longer reads: " + error.message));
  }

  io::StationReader reader_;
  std::string pending_;
  std::vector<io::StationRow> rows_;
};

}  // namespace

nlohmann::json site_json(const io::StationRow& row) {
  return {{"latitude_deg", number_or_null(row.latitude_deg)},
          {"longitude_deg", number_or_null(row.longitude_deg)},
          {"elevation_m", number_or_null(row.elevation_m)},
          {"wind_height_m", number_or_null(row.wind_height_m)},
          {"tz_offset_h", number_or_null(row.tz_offset_h)}};
}

nlohmann::json to_json(const DatasetMeta& meta) {
  return {{"timestep", io::to_string(meta.timestep)},
          {"columns", meta.columns},
          {"site_defaults", site_defaults_json(meta.site_defaults)},
          {"site", meta.site},
          {"stats", meta.stats},
          {"upload", meta.upload}};
}

domain::Expected<DatasetMeta> parse_meta(const std::string& meta_json) {
  const auto json = nlohmann::json::parse(meta_json, nullptr, false);
  const auto bad = [] {
    return domain::fail(domain::Error::internal("a stored dataset description is unreadable"));
  };
  if (!json.is_object() || !json.contains("timestep") || !json["timestep"].is_string() ||
      !json.contains("columns") || !json["columns"].is_array()) {
    return bad();
  }
  const auto timestep = io::parse_timestep(json["timestep"].get<std::string>());
  if (!timestep) return bad();
  DatasetMeta meta;
  meta.timestep = *timestep;
  for (const auto& column : json["columns"]) {
    if (!column.is_string()) return bad();
    meta.columns.push_back(column.get<std::string>());
  }
  const auto defaults = json.value("site_defaults", nlohmann::json::object());
  meta.site_defaults = io::SiteDefaults{.latitude_deg = number_or_nan(defaults, "latitude_deg"),
                                        .longitude_deg = number_or_nan(defaults, "longitude_deg"),
                                        .elevation_m = number_or_nan(defaults, "elevation_m"),
                                        .wind_height_m = number_or_nan(defaults, "wind_height_m"),
                                        .tz_offset_h = number_or_nan(defaults, "tz_offset_h")};
  meta.site = json.value("site", nlohmann::json::object());
  meta.stats = json.value("stats", nlohmann::json::object());
  meta.upload = json.value("upload", nlohmann::json::object());
  return meta;
}

nlohmann::json to_json(const io::RowProblem& problem) {
  return {{"line", problem.line},
          {"field", problem.field},
          {"column", problem.column},
          {"reason", problem.reason},
          {"message", problem.message}};
}

storage::DatasetRecord new_dataset_record(std::string id, std::string workspace_id,
                                          std::string name, const UploadedRows& uploaded,
                                          const io::SiteDefaults& site_defaults,
                                          const UploadFacts& facts, const std::string& now) {
  nlohmann::json rejected = nlohmann::json::array();
  for (const auto& problem : uploaded.rejected) rejected.push_back(to_json(problem));
  const DatasetMeta meta{.timestep = uploaded.timestep,
                         .columns = uploaded.columns,
                         .site_defaults = site_defaults,
                         .site = site_json(uploaded.first_row),
                         .stats = uploaded.stats.to_json(),
                         .upload = {{"file_name", facts.file_name},
                                    {"bytes", facts.bytes},
                                    {"parse_cpu_seconds", facts.parse_seconds},
                                    {"rows_rejected", uploaded.rejected_count},
                                    {"rejected", std::move(rejected)}}};
  return storage::DatasetRecord{
      .id = std::move(id),
      .workspace_id = std::move(workspace_id),
      .name = std::move(name),
      .meta_json = to_json(meta).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      .row_count = uploaded.stats.rows(),
      .version = 1,
      .created_at = now,
      .updated_at = now};
}

nlohmann::json dataset_json(const storage::DatasetRecord& record, const DatasetMeta& meta) {
  const std::string self = "/api/v1/datasets/" + record.id;
  return {{"id", record.id},
          {"name", record.name},
          {"timestep", io::to_string(meta.timestep)},
          {"columns", meta.columns},
          {"site", meta.site},
          {"site_defaults", site_defaults_json(meta.site_defaults)},
          {"rows", record.row_count},
          {"period", meta.stats.value("period", nlohmann::json())},
          {"gaps", meta.stats.value("gaps", nlohmann::json::object())},
          {"summary", meta.stats.value("summary", nlohmann::json::object())},
          {"upload", meta.upload},
          {"created_at", record.created_at},
          {"updated_at", record.updated_at},
          {"links",
           {{"self", self}, {"rows", self + "/rows"}, {"calculations", self + "/calculations"}}}};
}

domain::Expected<void> read_stored_rows(
    storage::DatasetStore& store, const storage::DatasetRecord& record, const DatasetMeta& meta,
    const std::function<domain::Expected<void>(const io::StationRow& row)>& visit) {
  StoredRowReader reader(record, meta);
  auto read = store.for_each_row(
      record.id, [&](const storage::DatasetRow& row) { return reader.add(row.record, visit); });
  if (!read) return read;
  return reader.finish(visit);
}

domain::Expected<nlohmann::json> rows_json(storage::DatasetStore& store,
                                           const storage::DatasetRecord& record,
                                           const DatasetMeta& meta, std::int64_t offset,
                                           std::int64_t limit) {
  auto stored = store.rows(record.id, offset, limit);
  if (!stored) return domain::fail(stored.error());
  std::string text = header_line(meta.columns);
  for (const auto& row : *stored) {
    text.append(row.record);
    text.push_back('\n');
  }
  auto document = io::parse_csv(text, "dataset " + record.id);
  if (!document) {
    return domain::fail(
        domain::Error::internal("stored rows no longer read: " + document.error().message));
  }
  std::vector<bool> numeric;
  for (const auto& column : meta.columns) {
    numeric.push_back(io::find_station_column(meta.timestep, column) != nullptr);
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& csv_record : document->records) {
    nlohmann::json object = nlohmann::json::object();
    for (std::size_t i = 0; i < meta.columns.size() && i < csv_record.fields.size(); ++i) {
      const std::string& field = csv_record.fields[i];
      if (!numeric[i]) {
        object[meta.columns[i]] = field;
        continue;
      }
      const auto parsed = io::parse_number(field);
      object[meta.columns[i]] =
          parsed.kind == io::ParsedNumber::Kind::value ? nlohmann::json(parsed.value) : nullptr;
    }
    rows.push_back(std::move(object));
  }
  return nlohmann::json{{"columns", meta.columns},
                        {"offset", offset},
                        {"limit", limit},
                        {"total", record.row_count},
                        {"rows", std::move(rows)}};
}

domain::Expected<AppendOutcome> append_rows(storage::DatasetStore& store,
                                            const storage::DatasetRecord& record,
                                            const DatasetMeta& meta, UploadedRows uploaded,
                                            OverlapRule rule, const std::string& now) {
  AppendOutcome outcome;
  outcome.record = record;
  DatasetStats stats(meta.timestep, meta.columns);
  StoredRowReader reader(record, meta);
  const auto add_to_stats = [&](const io::StationRow& row) -> domain::Expected<void> {
    stats.add(row);
    return {};
  };
  const storage::DatasetRows& fresh = uploaded.rows;
  std::size_t next = 0;
  std::optional<std::int64_t> previous_t;
  const std::int64_t step = step_minutes(meta.timestep);
  const auto emit = [&](std::int64_t t, std::string_view line) -> domain::Expected<void> {
    if (previous_t && (t - *previous_t) % step != 0 && outcome.problems.size() < 100) {
      const std::string reason = fmt::format(
          "mixed time steps: {} is {} min after {} already stored; rows are whole steps apart",
          format_time_key(t, meta.timestep), t - *previous_t,
          format_time_key(*previous_t, meta.timestep));
      io::RowProblem problem;
      problem.reason = reason;
      problem.message = reason;
      outcome.problems.push_back(std::move(problem));
    }
    previous_t = t;
    return reader.add(line, add_to_stats);
  };
  const auto emit_fresh = [&]() { return emit(fresh.t(next), fresh.line(next)); };
  auto merged = store.for_each_row(record.id, [&](const storage::DatasetRow& stored) {
    while (next < fresh.size() && fresh.t(next) < stored.t) {
      if (auto emitted = emit_fresh(); !emitted) return emitted;
      ++next;
    }
    if (next < fresh.size() && fresh.t(next) == stored.t) {
      if (rule == OverlapRule::replace) {
        ++outcome.replaced;
        auto emitted = emit_fresh();
        ++next;
        return emitted;
      }
      ++outcome.overlap_count;
      if (outcome.overlapping.size() < kMaxOverlapsListed) {
        outcome.overlapping.push_back(format_time_key(stored.t, meta.timestep));
      }
      ++next;
    }
    return emit(stored.t, stored.record);
  });
  if (!merged) return domain::fail(merged.error());
  for (; next < fresh.size(); ++next) {
    if (auto emitted = emit_fresh(); !emitted) return domain::fail(emitted.error());
  }
  if (outcome.overlap_count > 0 || !outcome.problems.empty()) return outcome;
  if (auto finished = reader.finish(add_to_stats); !finished) {
    return domain::fail(finished.error());
  }
  auto updated_meta = meta;
  updated_meta.stats = stats.to_json();
  storage::DatasetRecord updated = record;
  updated.meta_json =
      to_json(updated_meta).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  updated.row_count = stats.rows();
  updated.version = record.version + 1;
  updated.updated_at = now;
  if (auto appended = store.append(updated, fresh); !appended) {
    return domain::fail(appended.error());
  }
  outcome.added = static_cast<std::int64_t>(fresh.size()) - outcome.replaced;
  outcome.record = std::move(updated);
  return outcome;
}

}  // namespace evapo::datasets
