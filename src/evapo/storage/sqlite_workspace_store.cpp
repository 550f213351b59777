#include <evapo/storage/sqlite_workspace_store.hpp>

namespace evapo::storage {

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE workspaces ("
     " id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);"},
};

}  // namespace

domain::Expected<std::shared_ptr<SqliteWorkspaceStore>> SqliteWorkspaceStore::create(
    std::shared_ptr<SqliteDatabase> db) {
  if (auto migrated = db->migrate("workspaces", kMigrations); !migrated) {
    return domain::fail(migrated.error());
  }
  return std::shared_ptr<SqliteWorkspaceStore>(new SqliteWorkspaceStore(std::move(db)));
}

domain::Expected<void> SqliteWorkspaceStore::create(const WorkspaceRecord& workspace,
                                                    std::string_view key_hash) {
  const SqlValue params[] = {workspace.id, std::string(key_hash), workspace.created_at};
  auto inserted = db_->execute(
      "INSERT OR IGNORE INTO workspaces (id, key_hash, created_at) VALUES (?1, ?2, ?3)", params);
  if (!inserted) return domain::fail(inserted.error());
  if (*inserted == 0) {
    return domain::fail(domain::Error::invalid_argument("workspace id or key already taken"));
  }
  return {};
}

domain::Expected<std::optional<WorkspaceRecord>> SqliteWorkspaceStore::find_by_key_hash(
    std::string_view key_hash) {
  const SqlValue params[] = {std::string(key_hash)};
  std::optional<WorkspaceRecord> found;
  auto queried = db_->query("SELECT id, created_at FROM workspaces WHERE key_hash = ?1", params,
                            [&](const SqliteRow& row) {
                              found = WorkspaceRecord{row.text(0), row.text(1)};
                            });
  if (!queried) return domain::fail(queried.error());
  return found;
}

}  // namespace evapo::storage
