#include <limits>

#include <evapo/storage/pg_array.hpp>
#include <evapo/storage/postgres_dataset_store.hpp>

namespace evapo::storage {

namespace {

// evapo_dataset_create: the record and every row, or nothing (a taken id or a repeated time is
// a unique violation, which rolls the statement back). evapo_dataset_append: the record
// replaced only from the version read (returns false otherwise), the rows upserted.
constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE datasets ("
     " id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, name TEXT NOT NULL,"
     " meta_json TEXT NOT NULL, row_count BIGINT NOT NULL, version BIGINT NOT NULL,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX datasets_by_workspace ON datasets (workspace_id, created_at);"
     "CREATE TABLE dataset_rows ("
     " dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,"
     " t BIGINT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (dataset_id, t));"
     "CREATE FUNCTION evapo_dataset_create(p_id TEXT, p_workspace TEXT, p_name TEXT,"
     " p_meta TEXT, p_rows BIGINT, p_version BIGINT, p_created TEXT, p_updated TEXT,"
     " p_t BIGINT[], p_record TEXT[]) RETURNS VOID LANGUAGE plpgsql AS $$ BEGIN"
     " INSERT INTO datasets VALUES (p_id, p_workspace, p_name, p_meta, p_rows, p_version,"
     " p_created, p_updated);"
     " INSERT INTO dataset_rows (dataset_id, t, record)"
     " SELECT p_id, r.t, r.record FROM unnest(p_t, p_record) AS r(t, record);"
     " END $$;"
     "CREATE FUNCTION evapo_dataset_append(p_id TEXT, p_name TEXT, p_meta TEXT, p_rows BIGINT,"
     " p_version BIGINT, p_updated TEXT, p_t BIGINT[], p_record TEXT[]) RETURNS BOOLEAN"
     " LANGUAGE plpgsql AS $$ BEGIN"
     " UPDATE datasets SET name = p_name, meta_json = p_meta, row_count = p_rows,"
     " version = p_version, updated_at = p_updated WHERE id = p_id AND version = p_version - 1;"
     " IF NOT FOUND THEN RETURN FALSE; END IF;"
     " INSERT INTO dataset_rows (dataset_id, t, record)"
     " SELECT p_id, r.t, r.record FROM unnest(p_t, p_record) AS r(t, record)"
     " ON CONFLICT (dataset_id, t) DO UPDATE SET record = excluded.record;"
     " RETURN TRUE; END $$;"},
};

#define EVAPO_DATASET_COLUMNS \
  "SELECT id, workspace_id, name, meta_json, row_count, version, created_at, updated_at"

constexpr PgStatement kCreate{"datasets_create",
                              "SELECT evapo_dataset_create($1, $2, $3, $4, $5, $6, $7, $8,"
                              " $9::bigint[], $10::text[])"};
constexpr PgStatement kAppend{"datasets_append",
                              "SELECT evapo_dataset_append($1, $2, $3, $4, $5, $6,"
                              " $7::bigint[], $8::text[])"};
constexpr PgStatement kGet{"datasets_get", EVAPO_DATASET_COLUMNS " FROM datasets WHERE id = $1"};
constexpr PgStatement kList{"datasets_list", EVAPO_DATASET_COLUMNS
                            " FROM datasets WHERE ($1::text IS NULL OR workspace_id = $1)"
                            " ORDER BY created_at DESC, id"};
constexpr PgStatement kRemove{"datasets_remove", "DELETE FROM datasets WHERE id = $1"};
constexpr PgStatement kRows{"datasets_rows",
                            "SELECT t, record FROM dataset_rows WHERE dataset_id = $1"
                            " ORDER BY t LIMIT $2 OFFSET $3"};
constexpr PgStatement kRowsAfter{"datasets_rows_after",
                                 "SELECT t, record FROM dataset_rows WHERE dataset_id = $1"
                                 " AND t > $2 ORDER BY t LIMIT $3"};

#undef EVAPO_DATASET_COLUMNS

DatasetRecord record_of(const PgResult& result, int row) {
  return DatasetRecord{.id = result.text(row, 0),
                       .workspace_id = result.text(row, 1),
                       .name = result.text(row, 2),
                       .meta_json = result.text(row, 3),
                       .row_count = result.int64(row, 4),
                       .version = result.int64(row, 5),
                       .created_at = result.text(row, 6),
                       .updated_at = result.text(row, 7)};
}

// The rows' times and lines as two array literals.
std::pair<std::string, std::string> arrays_of(const DatasetRows& rows) {
  PgArray times;
  PgArray records;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    times.integer(rows.t(i));
    records.text(rows.line(i));
  }
  return {times.literal(), records.literal()};
}

std::vector<DatasetRow> rows_of(const PgResult& result) {
  std::vector<DatasetRow> out;
  out.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    out.push_back({result.int64(row, 0), result.text(row, 1)});
  }
  return out;
}

}  // namespace

domain::Expected<std::shared_ptr<PostgresDatasetStore>> PostgresDatasetStore::create(
    std::shared_ptr<PostgresDatabase> db) {
  if (auto migrated = db->migrate("datasets", kMigrations); !migrated) {
    return domain::fail(migrated.error());
  }
  return std::shared_ptr<PostgresDatasetStore>(new PostgresDatasetStore(std::move(db)));
}

domain::Expected<void> PostgresDatasetStore::create(const DatasetRecord& record,
                                                    const DatasetRows& rows) {
  auto [times, records] = arrays_of(rows);
  const SqlValue params[] = {
      record.id,      record.workspace_id, record.name,       record.meta_json, record.row_count,
      record.version, record.created_at,   record.updated_at, std::move(times), std::move(records)};
  auto created = db_->execute(kCreate, params, Idempotency::not_idempotent);
  if (!created) return domain::fail(created.error());
  return {};
}

domain::Expected<std::optional<DatasetRecord>> PostgresDatasetStore::get(std::string_view id) {
  const SqlValue params[] = {std::string(id)};
  auto found = db_->execute(kGet, params);
  if (!found) return domain::fail(found.error());
  if (found->rows() == 0) return std::optional<DatasetRecord>{};
  return std::optional<DatasetRecord>{record_of(*found, 0)};
}

domain::Expected<std::vector<DatasetRecord>> PostgresDatasetStore::list(
    std::optional<std::string> workspace_id) {
  const SqlValue params[] = {workspace_id ? SqlValue{*workspace_id} : SqlValue{nullptr}};
  auto found = db_->execute(kList, params);
  if (!found) return domain::fail(found.error());
  std::vector<DatasetRecord> out;
  for (int row = 0; row < found->rows(); ++row) out.push_back(record_of(*found, row));
  return out;
}

domain::Expected<bool> PostgresDatasetStore::remove(std::string_view id) {
  const SqlValue params[] = {std::string(id)};
  auto removed = db_->execute(kRemove, params);
  if (!removed) return domain::fail(removed.error());
  return removed->affected() > 0;
}

domain::Expected<std::vector<DatasetRow>> PostgresDatasetStore::rows(std::string_view id,
                                                                     std::int64_t offset,
                                                                     std::int64_t limit) {
  const SqlValue params[] = {std::string(id), limit, offset};
  auto found = db_->execute(kRows, params);
  if (!found) return domain::fail(found.error());
  return rows_of(*found);
}

domain::Expected<void> PostgresDatasetStore::for_each_row(
    std::string_view id, const std::function<domain::Expected<void>(const DatasetRow&)>& visit) {
  // Pages keep a connection of the pool for one query at a time and memory bounded.
  constexpr std::int64_t kPage = 4096;
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  while (true) {
    const SqlValue params[] = {std::string(id), after, kPage};
    auto found = db_->execute(kRowsAfter, params);
    if (!found) return domain::fail(found.error());
    const auto page = rows_of(*found);
    for (const auto& row : page) {
      if (auto visited = visit(row); !visited) return visited;
    }
    if (static_cast<std::int64_t>(page.size()) < kPage) return {};
    after = page.back().t;
  }
}

domain::Expected<void> PostgresDatasetStore::append(const DatasetRecord& record,
                                                    const DatasetRows& rows) {
  auto [times, records] = arrays_of(rows);
  const SqlValue params[] = {record.id,        record.name,       record.meta_json,
                             record.row_count, record.version,    record.updated_at,
                             std::move(times), std::move(records)};
  auto appended = db_->execute(kAppend, params, Idempotency::not_idempotent);
  if (!appended) return domain::fail(appended.error());
  if (appended->rows() == 1 && appended->boolean(0, 0)) return {};
  auto current = get(record.id);
  if (!current) return domain::fail(current.error());
  if (!*current) return domain::fail(domain::Error::not_found("no such dataset"));
  return domain::fail(
      domain::Error::unavailable("the dataset changed meanwhile; send the rows again"));
}

}  // namespace evapo::storage
