#pragma once

#include <memory>

#include <evapo/storage/dataset_store.hpp>
#include <evapo/storage/postgres_database.hpp>

namespace evapo::storage {

/// DatasetStore on PostgreSQL (a cluster's nodes share it): tables datasets and dataset_rows.
/// A dataset's rows go in one statement (arrays unnested by a function), so a create or an
/// append is one transaction whatever its size.
class PostgresDatasetStore final : public DatasetStore {
 public:
  /// Migrates module "datasets" in `db`.
  static domain::Expected<std::shared_ptr<PostgresDatasetStore>> create(
      std::shared_ptr<PostgresDatabase> db);

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
  explicit PostgresDatasetStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace evapo::storage
