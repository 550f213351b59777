#pragma once

// Station datasets as stored (storage::DatasetRecord + rows) and as the API shows them: the
// description kept with each dataset, creating one from an accepted upload, appending rows,
// and reading the stored rows back through `evapo eto`'s reader.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <evapo/datasets/dataset_upload.hpp>
#include <evapo/domain/error.hpp>
#include <evapo/io/station_reader.hpp>
#include <evapo/storage/dataset_store.hpp>

namespace evapo::datasets {

/// What is kept of a dataset beside its rows (storage::DatasetRecord::meta_json).
struct DatasetMeta {
  io::Timestep timestep = io::Timestep::daily;
  std::vector<std::string> columns;
  io::SiteDefaults site_defaults;  // the values given beside the file
  nlohmann::json site;             // the first row's site values (the station)
  nlohmann::json stats;            // DatasetStats::to_json
  nlohmann::json upload;           // file name, bytes, rows rejected (and the first ones)
};

nlohmann::json to_json(const DatasetMeta& meta);
/// Errors: internal when the stored text is not a dataset's description.
domain::Expected<DatasetMeta> parse_meta(const std::string& meta_json);

/// A dataset as stored, with its description read.
struct StoredDataset {
  storage::DatasetRecord record;
  DatasetMeta meta;
};

/// How an upload went, for the dataset's description.
struct UploadFacts {
  std::string file_name;
  std::uint64_t bytes = 0;
  double parse_seconds = 0.0;  // CPU time of reading and checking
};

/// The record of a new dataset made of `uploaded` (rows are stored beside it).
storage::DatasetRecord new_dataset_record(std::string id, std::string workspace_id,
                                          std::string name, const UploadedRows& uploaded,
                                          const io::SiteDefaults& site_defaults,
                                          const UploadFacts& facts, const std::string& now);

/// {"line","field","column","reason","message"} of a refused row.
nlohmann::json to_json(const io::RowProblem& problem);

/// The API's view of a dataset: {"id","name","timestep","columns","site","site_defaults","rows",
/// "period","gaps","summary","upload","created_at","updated_at","links"}.
nlohmann::json dataset_json(const storage::DatasetRecord& record, const DatasetMeta& meta);

/// Calls `visit` with every stored row, in time order, as `evapo eto`'s reader reads it (the
/// dataset's columns, timestep and site values). Errors: the store's, the visitor's, internal
/// when a stored row no longer reads.
domain::Expected<void> read_stored_rows(
    storage::DatasetStore& store, const storage::DatasetRecord& record, const DatasetMeta& meta,
    const std::function<domain::Expected<void>(const io::StationRow& row)>& visit);

/// The stored rows [offset, offset + limit) as {"columns", "offset", "limit", "total", "rows":
/// [{column: value}]} (known numeric columns as numbers, empty cells null).
domain::Expected<nlohmann::json> rows_json(storage::DatasetStore& store,
                                           const storage::DatasetRecord& record,
                                           const DatasetMeta& meta, std::int64_t offset,
                                           std::int64_t limit);

/// Whether appended rows may replace stored rows at the same time stamps.
enum class OverlapRule { refuse, replace };

struct AppendOutcome {
  storage::DatasetRecord record;  // as stored after the append (unchanged when refused)
  std::int64_t added = 0;
  std::int64_t replaced = 0;
  std::vector<std::string> overlapping;  // refused: time stamps already stored (first 100)
  std::int64_t overlap_count = 0;
  std::vector<io::RowProblem> problems;  // refused: rows that break the time step
};

/// Adds `uploaded` to the dataset in one store transaction, with its description recomputed
/// over every row. Refused (nothing written; see AppendOutcome) when a time stamp is already
/// stored and `rule` is refuse, or when the merged rows break the time step. Errors: the
/// store's (unavailable when the dataset changed meanwhile).
domain::Expected<AppendOutcome> append_rows(storage::DatasetStore& store,
                                            const storage::DatasetRecord& record,
                                            const DatasetMeta& meta, UploadedRows uploaded,
                                            OverlapRule rule, const std::string& now);

/// The site values of a row as JSON ({"latitude_deg", ...}; null where unknown).
nlohmann::json site_json(const io::StationRow& row);

}  // namespace evapo::datasets
