#include <cmath>

#include <evapo/storage/sqlite_site_store.hpp>

namespace evapo::storage {

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE sites ("
     " id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, settings_json TEXT NOT NULL,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX sites_by_workspace ON sites (workspace_id, created_at);"
     "CREATE TABLE site_runs ("
     " site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,"
     " local_date TEXT NOT NULL, node TEXT NOT NULL, claimed_at TEXT NOT NULL,"
     " tasks_json TEXT NOT NULL, finished_at TEXT, outcome TEXT NOT NULL,"
     " PRIMARY KEY (site_id, local_date)) WITHOUT ROWID;"
     "CREATE INDEX site_runs_open ON site_runs (finished_at, claimed_at);"
     "CREATE TABLE site_days ("
     " site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,"
     " date TEXT NOT NULL, eto_mm REAL, kind TEXT NOT NULL, detail_json TEXT NOT NULL,"
     " task_id TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " PRIMARY KEY (site_id, date)) WITHOUT ROWID;"},
};

constexpr std::string_view kRunColumns =
    "site_id, local_date, node, claimed_at, tasks_json, finished_at, outcome";

SiteRecord site_of(const SqliteRow& row) {
  return SiteRecord{.id = row.text(0),
                    .workspace_id = row.text(1),
                    .settings_json = row.text(2),
                    .created_at = row.text(3),
                    .updated_at = row.text(4)};
}

SiteRun run_of(const SqliteRow& row) {
  SiteRun run{.site_id = row.text(0),
              .local_date = row.text(1),
              .node = row.text(2),
              .claimed_at = row.text(3),
              .tasks_json = row.text(4),
              .finished_at = std::nullopt,
              .outcome = row.text(6)};
  if (!row.is_null(5)) run.finished_at = row.text(5);
  return run;
}

}  // namespace

domain::Expected<std::shared_ptr<SqliteSiteStore>> SqliteSiteStore::create(
    std::shared_ptr<SqliteDatabase> db) {
  if (auto migrated = db->migrate("sites", kMigrations); !migrated) {
    return domain::fail(migrated.error());
  }
  return std::shared_ptr<SqliteSiteStore>(new SqliteSiteStore(std::move(db)));
}

domain::Expected<void> SqliteSiteStore::create(const SiteRecord& site) {
  const SqlValue params[] = {site.id, site.workspace_id, site.settings_json, site.created_at,
                             site.updated_at};
  auto inserted = db_->execute(
      "INSERT OR IGNORE INTO sites (id, workspace_id, settings_json, created_at, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5)",
      params);
  if (!inserted) return domain::fail(inserted.error());
  if (*inserted == 0) return domain::fail(domain::Error::invalid_argument("site id taken"));
  return {};
}

domain::Expected<std::optional<SiteRecord>> SqliteSiteStore::get(std::string_view id) {
  const SqlValue params[] = {std::string(id)};
  std::optional<SiteRecord> found;
  auto queried = db_->query(
      "SELECT id, workspace_id, settings_json, created_at, updated_at FROM sites WHERE id = ?1",
      params, [&](const SqliteRow& row) { found = site_of(row); });
  if (!queried) return domain::fail(queried.error());
  return found;
}

domain::Expected<std::vector<SiteRecord>> SqliteSiteStore::list(
    std::optional<std::string> workspace_id) {
  std::vector<SiteRecord> found;
  auto collect = [&](const SqliteRow& row) { found.push_back(site_of(row)); };
  constexpr std::string_view kSelect =
      "SELECT id, workspace_id, settings_json, created_at, updated_at FROM sites";
  domain::Expected<void> queried;
  if (workspace_id) {
    const SqlValue params[] = {*workspace_id};
    queried = db_->query(std::string(kSelect) + " WHERE workspace_id = ?1 ORDER BY created_at, id",
                         params, collect);
  } else {
    queried = db_->query(std::string(kSelect) + " ORDER BY created_at, id", {}, collect);
  }
  if (!queried) return domain::fail(queried.error());
  return found;
}

domain::Expected<void> SqliteSiteStore::update(const SiteRecord& site) {
  const SqlValue params[] = {site.id, site.settings_json, site.updated_at};
  auto updated =
      db_->execute("UPDATE sites SET settings_json = ?2, updated_at = ?3 WHERE id = ?1", params);
  if (!updated) return domain::fail(updated.error());
  if (*updated == 0) return domain::fail(domain::Error::not_found("no site " + site.id));
  return {};
}

domain::Expected<bool> SqliteSiteStore::remove(std::string_view id) {
  const SqlValue params[] = {std::string(id)};
  auto deleted = db_->execute("DELETE FROM sites WHERE id = ?1", params);
  if (!deleted) return domain::fail(deleted.error());
  return *deleted > 0;
}

domain::Expected<bool> SqliteSiteStore::claim_run(const SiteRun& run) {
  const SqlValue params[] = {run.site_id, run.local_date, run.node, run.claimed_at, run.tasks_json};
  auto inserted = db_->execute(
      "INSERT OR IGNORE INTO site_runs (site_id, local_date, node, claimed_at, tasks_json,"
      " finished_at, outcome) VALUES (?1, ?2, ?3, ?4, ?5, NULL, '')",
      params);
  if (!inserted) return domain::fail(inserted.error());
  return *inserted > 0;
}

domain::Expected<void> SqliteSiteStore::set_run_tasks(std::string_view site_id,
                                                      std::string_view local_date,
                                                      std::string_view tasks_json) {
  const SqlValue params[] = {std::string(site_id), std::string(local_date),
                             std::string(tasks_json)};
  auto updated = db_->execute(
      "UPDATE site_runs SET tasks_json = ?3 WHERE site_id = ?1 AND local_date = ?2", params);
  if (!updated) return domain::fail(updated.error());
  return {};
}

domain::Expected<std::vector<SiteRun>> SqliteSiteStore::open_runs(int limit) {
  const SqlValue params[] = {std::int64_t{limit}};
  std::vector<SiteRun> found;
  auto queried = db_->query(std::string("SELECT ") + std::string(kRunColumns) +
                                " FROM site_runs WHERE finished_at IS NULL"
                                " ORDER BY claimed_at LIMIT ?1",
                            params, [&](const SqliteRow& row) { found.push_back(run_of(row)); });
  if (!queried) return domain::fail(queried.error());
  return found;
}

domain::Expected<std::optional<SiteRun>> SqliteSiteStore::last_run(std::string_view site_id) {
  const SqlValue params[] = {std::string(site_id)};
  std::optional<SiteRun> found;
  auto queried = db_->query(std::string("SELECT ") + std::string(kRunColumns) +
                                " FROM site_runs WHERE site_id = ?1"
                                " ORDER BY local_date DESC LIMIT 1",
                            params, [&](const SqliteRow& row) { found = run_of(row); });
  if (!queried) return domain::fail(queried.error());
  return found;
}

domain::Expected<void> SqliteSiteStore::finish_run(std::string_view site_id,
                                                   std::string_view local_date,
                                                   std::string_view outcome,
                                                   std::string_view finished_at,
                                                   std::span<const SiteDay> days) {
  return db_->transaction([&]() -> domain::Expected<void> {
    for (const auto& day : days) {
      const SqlValue params[] = {std::string(site_id),
                                 day.date,
                                 std::isnan(day.eto_mm) ? SqlValue{nullptr} : SqlValue{day.eto_mm},
                                 day.kind,
                                 day.detail_json,
                                 day.task_id,
                                 day.updated_at};
      // A forecast never replaces what was observed.
      auto written = db_->execute(
          "INSERT INTO site_days (site_id, date, eto_mm, kind, detail_json, task_id, updated_at)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
          " ON CONFLICT (site_id, date) DO UPDATE SET eto_mm = excluded.eto_mm,"
          " kind = excluded.kind, detail_json = excluded.detail_json,"
          " task_id = excluded.task_id, updated_at = excluded.updated_at"
          " WHERE NOT (site_days.kind = 'observed' AND excluded.kind = 'forecast')",
          params);
      if (!written) return domain::fail(written.error());
    }
    const SqlValue params[] = {std::string(site_id), std::string(local_date), std::string(outcome),
                               std::string(finished_at)};
    auto finished = db_->execute(
        "UPDATE site_runs SET outcome = ?3, finished_at = ?4 WHERE site_id = ?1 AND"
        " local_date = ?2",
        params);
    if (!finished) return domain::fail(finished.error());
    return {};
  });
}

domain::Expected<std::vector<SiteDay>> SqliteSiteStore::history(std::string_view site_id,
                                                                std::string_view from_date) {
  const SqlValue params[] = {std::string(site_id), std::string(from_date)};
  std::vector<SiteDay> found;
  auto queried = db_->query(
      "SELECT date, eto_mm, kind, detail_json, task_id, updated_at FROM site_days"
      " WHERE site_id = ?1 AND date >= ?2 ORDER BY date",
      params, [&](const SqliteRow& row) {
        found.push_back(SiteDay{.date = row.text(0),
                                .eto_mm = row.is_null(1) ? std::nan("") : row.real(1),
                                .kind = row.text(2),
                                .detail_json = row.text(3),
                                .task_id = row.text(4),
                                .updated_at = row.text(5)});
      });
  if (!queried) return domain::fail(queried.error());
  return found;
}

}  // namespace evapo::storage
