#include <string>

#include <evapo/storage/postgres_dataset_store.hpp>
#include <evapo/storage/postgres_site_store.hpp>
#include <evapo/storage/postgres_workspace_store.hpp>
#include <evapo/storage/sqlite_database.hpp>
#include <evapo/storage/sqlite_dataset_store.hpp>
#include <evapo/storage/sqlite_site_store.hpp>
#include <evapo/storage/sqlite_workspace_store.hpp>
#include <evapo/storage/workspace_stores.hpp>

namespace evapo::storage {

domain::Expected<WorkspaceStores> open_workspace_stores(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto db = PostgresDatabase::open(std::string(url));
    if (!db) return domain::fail(db.error());
    auto workspaces = PostgresWorkspaceStore::create(*db);
    if (!workspaces) return domain::fail(workspaces.error());
    auto datasets = PostgresDatasetStore::create(*db);
    if (!datasets) return domain::fail(datasets.error());
    auto sites = PostgresSiteStore::create(*db);
    if (!sites) return domain::fail(sites.error());
    return WorkspaceStores{*workspaces, *datasets, *sites};
  }
  if (!url.starts_with(kSqlite)) {
    return domain::fail(domain::Error::invalid_argument(
        "unknown workspace store URL \"" + std::string(url) +
        "\" (expected sqlite:///path/to/workspaces.sqlite3 or postgresql://...)"));
  }
  const std::string path(url.substr(kSqlite.size()));
  if (path.empty()) {
    return domain::fail(domain::Error::invalid_argument("workspace store URL has no path"));
  }
  auto db = SqliteDatabase::open(path);
  if (!db) return domain::fail(db.error());
  auto workspaces = SqliteWorkspaceStore::create(*db);
  if (!workspaces) return domain::fail(workspaces.error());
  auto datasets = SqliteDatasetStore::create(*db);
  if (!datasets) return domain::fail(datasets.error());
  auto sites = SqliteSiteStore::create(*db);
  if (!sites) return domain::fail(sites.error());
  return WorkspaceStores{*workspaces, *datasets, *sites};
}

}  // namespace evapo::storage
