#pragma once

#include <memory>

#include <evapo/storage/dataset_store.hpp>
#include <evapo/storage/sqlite_database.hpp>

namespace evapo::storage {

/// DatasetStore on SQLite: tables datasets and dataset_rows (one row per (dataset, time)).
class SqliteDatasetStore final : public DatasetStore {
 public:
  /// Migrates module "datasets" in `db`.
  static domain::Expected<std::shared_ptr<SqliteDatasetStore>> create(
      std::shared_ptr<SqliteDatabase> db);

  domain::Expected<void> create(const DatasetRecord& record, const DatasetRows& rows) override;
  domain::Expected<std::optional<DatasetRecord>> get(std::string_view id) override;
  domain::Expected<std::vector<DatasetRecord>> list(
      std::optional<std::string> workspace_id) override;
  domain::Expected<bool> remove(std::string_view id) override;
  domain::Expected<std::vector<DatasetRow>> rows(std::string_view id, std::int64_t offset,
                                                 std::int64_t limit) override;
  domain::Expected<void> for_each_row(
      std::string_view id,
      const std::function<domain::Expected<void>(const DatasetRow&)>& visit) override;
  domain::Expected<void> append(const DatasetRecord& record, const DatasetRows& rows) override;

 private:
  explicit SqliteDatasetStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  domain::Expected<void> insert_rows(std::string_view id, const DatasetRows& rows,
                                     std::string_view statement);
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace evapo::storage
