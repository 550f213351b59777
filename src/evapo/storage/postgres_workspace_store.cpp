#include <evapo/storage/postgres_workspace_store.hpp>

namespace evapo::storage {

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE workspaces ("
     " id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);"},
};

constexpr PgStatement kInsert{
    "workspaces_insert",
    "INSERT INTO workspaces (id, key_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"};
constexpr PgStatement kFind{"workspaces_find",
                            "SELECT id, created_at FROM workspaces WHERE key_hash = $1"};

}  // namespace

domain::Expected<std::shared_ptr<PostgresWorkspaceStore>> PostgresWorkspaceStore::create(
    std::shared_ptr<PostgresDatabase> db) {
  if (auto migrated = db->migrate("workspaces", kMigrations); !migrated) {
    return domain::fail(migrated.error());
  }
  return std::shared_ptr<PostgresWorkspaceStore>(new PostgresWorkspaceStore(std::move(db)));
}

domain::Expected<void> PostgresWorkspaceStore::create(const WorkspaceRecord& workspace,
                                                      std::string_view key_hash) {
  const SqlValue params[] = {workspace.id, std::string(key_hash), workspace.created_at};
  auto inserted = db_->execute(kInsert, params, Idempotency::not_idempotent);
  if (!inserted) return domain::fail(inserted.error());
  if (inserted->affected() == 0) {
    return domain::fail(domain::Error::invalid_argument("workspace id or key already taken"));
  }
  return {};
}

domain::Expected<std::optional<WorkspaceRecord>> PostgresWorkspaceStore::find_by_key_hash(
    std::string_view key_hash) {
  const SqlValue params[] = {std::string(key_hash)};
  auto found = db_->execute(kFind, params);
  if (!found) return domain::fail(found.error());
  if (found->rows() == 0) return std::optional<WorkspaceRecord>{};
  return std::optional<WorkspaceRecord>{
      WorkspaceRecord{.id = found->text(0, 0), .created_at = found->text(0, 1)}};
}

}  // namespace evapo::storage
