#pragma once

#include <memory>

#include <evapo/storage/sqlite_database.hpp>
#include <evapo/storage/workspace_store.hpp>

namespace evapo::storage {

/// WorkspaceStore on SQLite: table workspaces (id, key hash unique, created_at).
class SqliteWorkspaceStore final : public WorkspaceStore {
 public:
  /// Migrates module "workspaces" in `db`.
  static domain::Expected<std::shared_ptr<SqliteWorkspaceStore>> create(
      std::shared_ptr<SqliteDatabase> db);

  domain::Expected<void> create(const WorkspaceRecord& workspace,
                                std::string_view key_hash) override;
  domain::Expected<std::optional<WorkspaceRecord>> find_by_key_hash(
      std::string_view key_hash) override;

 private:
  explicit SqliteWorkspaceStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace evapo::storage
