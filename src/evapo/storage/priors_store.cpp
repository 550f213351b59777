#include <evapo/storage/priors_store.hpp>

namespace evapo::storage {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE fusion_priors ("
     " version INTEGER PRIMARY KEY AUTOINCREMENT, csv TEXT NOT NULL, rows INTEGER NOT NULL,"
     " created_at TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');"
     "CREATE TABLE fusion_priors_deployments ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL, action TEXT NOT NULL,"
     " at TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0);"},
};

PriorsDeploymentRow read_deployment(const SqliteRow& row) {
  return {row.int64(0), row.int64(1), row.text(2), row.text(3), row.int64(4) != 0};
}

}  // namespace

Expected<std::shared_ptr<PriorsStore>> PriorsStore::create(std::shared_ptr<SqliteDatabase> db) {
  if (auto migrated = db->migrate("fusion_priors", kMigrations); !migrated) {
    return fail(migrated.error());
  }
  return std::shared_ptr<PriorsStore>(new PriorsStore(std::move(db)));
}

Expected<std::optional<PriorsDeploymentRow>> PriorsStore::newest_in_effect() {
  std::optional<PriorsDeploymentRow> found;
  auto read = db_->query(
      "SELECT id, version, action, at, undone FROM fusion_priors_deployments"
      " WHERE undone = 0 AND action = 'deploy' ORDER BY id DESC LIMIT 1",
      {}, [&](const SqliteRow& row) { found = read_deployment(row); });
  if (!read) return fail(read.error());
  return found;
}

Expected<std::int64_t> PriorsStore::add_and_deploy(const std::string& csv, int rows,
                                                   const std::string& note, const std::string& at) {
  std::int64_t version = 0;
  auto done = db_->transaction([&]() -> Expected<void> {
    const SqlValue insert[] = {csv, std::int64_t{rows}, at, note};
    if (auto ok = db_->execute(
            "INSERT INTO fusion_priors (csv, rows, created_at, note) VALUES (?1, ?2, ?3, ?4)",
            insert);
        !ok) {
      return fail(ok.error());
    }
    version = db_->last_insert_rowid();
    const SqlValue deploy[] = {version, at};
    if (auto ok = db_->execute(
            "INSERT INTO fusion_priors_deployments (version, action, at) VALUES (?1, 'deploy', ?2)",
            deploy);
        !ok) {
      return fail(ok.error());
    }
    return {};
  });
  if (!done) return fail(done.error());
  return version;
}

Expected<std::int64_t> PriorsStore::roll_back(const std::string& at) {
  std::int64_t active = 0;
  auto done = db_->transaction([&]() -> Expected<void> {
    auto newest = newest_in_effect();
    if (!newest) return fail(newest.error());
    if (!*newest)
      return fail(
          Error::not_found("no deployed priors to roll back: the built-in ones are in effect"));
    const SqlValue id[] = {(*newest)->id};
    if (auto ok = db_->execute("UPDATE fusion_priors_deployments SET undone = 1 WHERE id = ?1", id);
        !ok) {
      return fail(ok.error());
    }
    auto now_active = newest_in_effect();
    if (!now_active) return fail(now_active.error());
    active = *now_active ? (*now_active)->version : 0;
    const SqlValue rollback[] = {active, at};
    if (auto ok = db_->execute(
            "INSERT INTO fusion_priors_deployments (version, action, at) VALUES (?1, 'rollback', "
            "?2)",
            rollback);
        !ok) {
      return fail(ok.error());
    }
    return {};
  });
  if (!done) return fail(done.error());
  return active;
}

Expected<std::int64_t> PriorsStore::active_version() {
  auto newest = newest_in_effect();
  if (!newest) return fail(newest.error());
  return *newest ? (*newest)->version : 0;
}

Expected<std::optional<PriorsVersionRow>> PriorsStore::version(std::int64_t number) {
  std::optional<PriorsVersionRow> found;
  const SqlValue params[] = {number};
  auto read = db_->query(
      "SELECT version, csv, rows, created_at, note FROM fusion_priors WHERE version = ?1", params,
      [&](const SqliteRow& row) {
        found = PriorsVersionRow{row.int64(0), row.text(1), static_cast<int>(row.int64(2)),
                                 row.text(3), row.text(4)};
      });
  if (!read) return fail(read.error());
  return found;
}

Expected<std::vector<PriorsVersionRow>> PriorsStore::versions(int limit) {
  std::vector<PriorsVersionRow> out;
  const SqlValue params[] = {std::int64_t{limit}};
  auto read = db_->query(
      "SELECT version, rows, created_at, note FROM fusion_priors ORDER BY version DESC LIMIT ?1",
      params, [&](const SqliteRow& row) {
        out.push_back({row.int64(0), "", static_cast<int>(row.int64(1)), row.text(2), row.text(3)});
      });
  if (!read) return fail(read.error());
  return out;
}

Expected<std::vector<PriorsDeploymentRow>> PriorsStore::deployments(int limit) {
  std::vector<PriorsDeploymentRow> out;
  const SqlValue params[] = {std::int64_t{limit}};
  auto read = db_->query(
      "SELECT id, version, action, at, undone FROM fusion_priors_deployments ORDER BY id DESC "
      "LIMIT ?1",
      params, [&](const SqliteRow& row) { out.push_back(read_deployment(row)); });
  if (!read) return fail(read.error());
  return out;
}

}  // namespace evapo::storage
