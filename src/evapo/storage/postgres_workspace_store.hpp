#pragma once

#include <memory>

#include <evapo/storage/postgres_database.hpp>
#include <evapo/storage/workspace_store.hpp>

namespace evapo::storage {

/// WorkspaceStore on PostgreSQL (a cluster's serve nodes share it): table workspaces.
class PostgresWorkspaceStore final : public WorkspaceStore {
 public:
  /// Migrates module "workspaces" in `db`.
  static domain::Expected<std::shared_ptr<PostgresWorkspaceStore>> create(
      std::shared_ptr<PostgresDatabase> db);

  domain::Expected<void> create(const WorkspaceRecord& workspace,
                                std::string_view key_hash) override;
  domain::Expected<std::optional<WorkspaceRecord>> find_by_key_hash(
      std::string_view key_hash) override;

 private:
  explicit PostgresWorkspaceStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace evapo::storage
