#pragma once

// Station datasets: a record per dataset (its description kept as JSON text by the datasets
// layer) and its rows, each the CSV line it was uploaded as, keyed by time.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>

namespace evapo::storage {

struct DatasetRecord {
  std::string id;            // 32 hex digits, random
  std::string workspace_id;  // the owner
  std::string name;
  std::string meta_json;  // columns, timestep, site, period, gaps, summary (datasets layer)
  std::int64_t row_count = 0;
  std::int64_t version = 1;  // +1 at every change (optimistic concurrency of appends)
  std::string created_at;    // ISO-8601 UTC
  std::string updated_at;
};

/// One stored row: its time key (minutes since 1970-01-01T00:00 of the station's local standard
/// time; a daily row is its day's midnight) and the row as one CSV line in the dataset's column
/// order, without a line end.
struct DatasetRow {
  std::int64_t t = 0;
  std::string record;
};

/// Rows to write, in time order: their lines back to back in one buffer, so that a file held in
/// memory until it is accepted costs about its own size.
class DatasetRows {
 public:
  void reserve(std::size_t rows, std::size_t bytes) {
    index_.reserve(rows);
    text_.reserve(bytes);
  }
  void add(std::int64_t t, std::string_view line) {
    index_.push_back(
        {t, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(line.size())});
    text_.append(line);
  }
  std::size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  std::int64_t t(std::size_t i) const { return index_[i].t; }
  std::string_view line(std::size_t i) const {
    return std::string_view(text_).substr(index_[i].offset, index_[i].size);
  }

 private:
  struct Entry {
    std::int64_t t;
    std::uint32_t offset;
    std::uint32_t size;
  };
  std::vector<Entry> index_;
  std::string text_;
};

class DatasetStore {
 public:
  virtual ~DatasetStore() = default;

  /// Stores the record and all its rows in one transaction: all or nothing. Errors:
  /// invalid_argument for a duplicate id or row time; unavailable/internal from the backend.
  virtual domain::Expected<void> create(const DatasetRecord& record, const DatasetRows& rows) = 0;

  virtual domain::Expected<std::optional<DatasetRecord>> get(std::string_view id) = 0;

  /// Newest first; only `workspace_id`'s when given, every dataset otherwise.
  virtual domain::Expected<std::vector<DatasetRecord>> list(
      std::optional<std::string> workspace_id) = 0;

  /// Deletes the dataset and its rows; false when there was none.
  virtual domain::Expected<bool> remove(std::string_view id) = 0;

  /// Rows in time order, from `offset` (0-based), at most `limit`.
  virtual domain::Expected<std::vector<DatasetRow>> rows(std::string_view id, std::int64_t offset,
                                                         std::int64_t limit) = 0;

  /// Calls `visit` for every row in time order, stopping at its first error (returned).
  virtual domain::Expected<void> for_each_row(
      std::string_view id,
      const std::function<domain::Expected<void>(const DatasetRow&)>& visit) = 0;

  /// In one transaction: writes `rows` (a row at an existing time replaces it) and replaces the
  /// record with `record` (its version must be the stored one + 1). Errors: not_found when the
  /// dataset is gone; unavailable ("changed meanwhile, retry") when its version moved on.
  virtual domain::Expected<void> append(const DatasetRecord& record, const DatasetRows& rows) = 0;
};

}  // namespace evapo::storage
