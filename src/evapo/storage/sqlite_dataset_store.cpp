#include <limits>

#include <evapo/storage/sqlite_dataset_store.hpp>

namespace evapo::storage {

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE datasets ("
     " id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, name TEXT NOT NULL,"
     " meta_json TEXT NOT NULL, row_count INTEGER NOT NULL, version INTEGER NOT NULL,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX datasets_by_workspace ON datasets (workspace_id, created_at);"
     "CREATE TABLE dataset_rows ("
     " dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,"
     " t INTEGER NOT NULL, record TEXT NOT NULL,"
     " PRIMARY KEY (dataset_id, t)) WITHOUT ROWID;"},
};

constexpr std::string_view kColumns =
    "id, workspace_id, name, meta_json, row_count, version, created_at, updated_at";

DatasetRecord record_of(const SqliteRow& row) {
  return DatasetRecord{.id = row.text(0),
                       .workspace_id = row.text(1),
                       .name = row.text(2),
                       .meta_json = row.text(3),
                       .row_count = row.int64(4),
                       .version = row.int64(5),
                       .created_at = row.text(6),
                       .updated_at = row.text(7)};
}

}  // namespace

domain::Expected<std::shared_ptr<SqliteDatasetStore>> SqliteDatasetStore::create(
    std::shared_ptr<SqliteDatabase> db) {
  if (auto migrated = db->migrate("datasets", kMigrations); !migrated) {
    return domain::fail(migrated.error());
  }
  return std::shared_ptr<SqliteDatasetStore>(new SqliteDatasetStore(std::move(db)));
}

domain::Expected<void> SqliteDatasetStore::insert_rows(std::string_view id, const DatasetRows& rows,
                                                       std::string_view statement) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const SqlValue params[] = {std::string(id), rows.t(i), std::string(rows.line(i))};
    auto inserted = db_->execute(statement, params);
    if (!inserted) return domain::fail(inserted.error());
    if (*inserted == 0) {
      return domain::fail(domain::Error::invalid_argument("two rows at the same time"));
    }
  }
  return {};
}

domain::Expected<void> SqliteDatasetStore::create(const DatasetRecord& record,
                                                  const DatasetRows& rows) {
  return db_->transaction([&]() -> domain::Expected<void> {
    const SqlValue params[] = {record.id,         record.workspace_id, record.name,
                               record.meta_json,  record.row_count,    record.version,
                               record.created_at, record.updated_at};
    auto inserted = db_->execute(
        "INSERT OR IGNORE INTO datasets (id, workspace_id, name, meta_json, row_count, version,"
        " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params);
    if (!inserted) return domain::fail(inserted.error());
    if (*inserted == 0) return domain::fail(domain::Error::invalid_argument("dataset id taken"));
    return insert_rows(record.id, rows,
                       "INSERT OR IGNORE INTO dataset_rows (dataset_id, t, record)"
                       " VALUES (?1, ?2, ?3)");
  });
}

domain::Expected<std::optional<DatasetRecord>> SqliteDatasetStore::get(std::string_view id) {
  const SqlValue params[] = {std::string(id)};
  std::optional<DatasetRecord> found;
  auto queried =
      db_->query(std::string("SELECT ") + std::string(kColumns) + " FROM datasets WHERE id = ?1",
                 params, [&](const SqliteRow& row) { found = record_of(row); });
  if (!queried) return domain::fail(queried.error());
  return found;
}

domain::Expected<std::vector<DatasetRecord>> SqliteDatasetStore::list(
    std::optional<std::string> workspace_id) {
  std::vector<DatasetRecord> found;
  auto collect = [&](const SqliteRow& row) { found.push_back(record_of(row)); };
  const std::string select = std::string("SELECT ") + std::string(kColumns) + " FROM datasets";
  domain::Expected<void> queried;
  if (workspace_id) {
    const SqlValue params[] = {*workspace_id};
    queried = db_->query(select + " WHERE workspace_id = ?1 ORDER BY created_at DESC, id", params,
                         collect);
  } else {
    queried = db_->query(select + " ORDER BY created_at DESC, id", {}, collect);
  }
  if (!queried) return domain::fail(queried.error());
  return found;
}

domain::Expected<bool> SqliteDatasetStore::remove(std::string_view id) {
  const SqlValue params[] = {std::string(id)};
  auto deleted = db_->execute("DELETE FROM datasets WHERE id = ?1", params);
  if (!deleted) return domain::fail(deleted.error());
  return *deleted > 0;
}

domain::Expected<std::vector<DatasetRow>> SqliteDatasetStore::rows(std::string_view id,
                                                                   std::int64_t offset,
                                                                   std::int64_t limit) {
  const SqlValue params[] = {std::string(id), limit, offset};
  std::vector<DatasetRow> found;
  auto queried = db_->query(
      "SELECT t, record FROM dataset_rows WHERE dataset_id = ?1 ORDER BY t LIMIT ?2 OFFSET ?3",
      params, [&](const SqliteRow& row) {
        found.push_back({row.int64(0), row.text(1)});
      });
  if (!queried) return domain::fail(queried.error());
  return found;
}

domain::Expected<void> SqliteDatasetStore::for_each_row(
    std::string_view id, const std::function<domain::Expected<void>(const DatasetRow&)>& visit) {
  // Pages keep the connection free between them (it is shared) and memory bounded.
  constexpr std::int64_t kPage = 4096;
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  while (true) {
    const SqlValue params[] = {std::string(id), after, kPage};
    std::vector<DatasetRow> page;
    auto queried = db_->query(
        "SELECT t, record FROM dataset_rows WHERE dataset_id = ?1 AND t > ?2 ORDER BY t LIMIT ?3",
        params, [&](const SqliteRow& row) {
          page.push_back({row.int64(0), row.text(1)});
        });
    if (!queried) return domain::fail(queried.error());
    for (const auto& row : page) {
      if (auto visited = visit(row); !visited) return visited;
    }
    if (static_cast<std::int64_t>(page.size()) < kPage) return {};
    after = page.back().t;
  }
}

domain::Expected<void> SqliteDatasetStore::append(const DatasetRecord& record,
                                                  const DatasetRows& rows) {
  return db_->transaction([&]() -> domain::Expected<void> {
    const SqlValue params[] = {record.id,         record.name,    record.meta_json,
                               record.row_count,  record.version, record.updated_at,
                               record.version - 1};
    auto updated = db_->execute(
        "UPDATE datasets SET name = ?2, meta_json = ?3, row_count = ?4, version = ?5,"
        " updated_at = ?6 WHERE id = ?1 AND version = ?7",
        params);
    if (!updated) return domain::fail(updated.error());
    if (*updated == 0) {
      auto current = get(record.id);
      if (!current) return domain::fail(current.error());
      if (!*current) return domain::fail(domain::Error::not_found("no dataset " + record.id));
      return domain::fail(
          domain::Error::unavailable("the dataset changed meanwhile; send the rows again"));
    }
    return insert_rows(record.id, rows,
                       "INSERT OR REPLACE INTO dataset_rows (dataset_id, t, record)"
                       " VALUES (?1, ?2, ?3)");
  });
}

}  // namespace evapo::storage
