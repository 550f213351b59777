#include <cmath>

#include <evapo/storage/pg_array.hpp>
#include <evapo/storage/postgres_site_store.hpp>

namespace evapo::storage {

namespace {

// evapo_site_finish: the run's days into the history (a forecast never replaces an observed
// day) and the run closed, in one transaction.
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
     " PRIMARY KEY (site_id, local_date));"
     "CREATE INDEX site_runs_open ON site_runs (finished_at, claimed_at);"
     "CREATE TABLE site_days ("
     " site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,"
     " date TEXT NOT NULL, eto_mm DOUBLE PRECISION, kind TEXT NOT NULL,"
     " detail_json TEXT NOT NULL, task_id TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " PRIMARY KEY (site_id, date));"
     "CREATE FUNCTION evapo_site_finish(p_site TEXT, p_local_date TEXT, p_outcome TEXT,"
     " p_finished TEXT, p_date TEXT[], p_eto DOUBLE PRECISION[], p_kind TEXT[],"
     " p_detail TEXT[], p_task TEXT[], p_updated TEXT[]) RETURNS VOID LANGUAGE plpgsql AS $$"
     " BEGIN"
     " INSERT INTO site_days (site_id, date, eto_mm, kind, detail_json, task_id, updated_at)"
     " SELECT p_site, d.date, d.eto, d.kind, d.detail, d.task, d.updated"
     " FROM unnest(p_date, p_eto, p_kind, p_detail, p_task, p_updated)"
     " AS d(date, eto, kind, detail, task, updated)"
     " ON CONFLICT (site_id, date) DO UPDATE SET eto_mm = excluded.eto_mm,"
     " kind = excluded.kind, detail_json = excluded.detail_json, task_id = excluded.task_id,"
     " updated_at = excluded.updated_at"
     " WHERE NOT (site_days.kind = 'observed' AND excluded.kind = 'forecast');"
     " UPDATE site_runs SET outcome = p_outcome, finished_at = p_finished"
     " WHERE site_id = p_site AND local_date = p_local_date;"
     " END $$;"},
};

#define EVAPO_SITE_COLUMNS "SELECT id, workspace_id, settings_json, created_at, updated_at"
#define EVAPO_RUN_COLUMNS \
  "SELECT site_id, local_date, node, claimed_at, tasks_json, finished_at, outcome"

constexpr PgStatement kCreate{"sites_create",
                              "INSERT INTO sites (id, workspace_id, settings_json, created_at,"
                              " updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"};
constexpr PgStatement kGet{"sites_get", EVAPO_SITE_COLUMNS " FROM sites WHERE id = $1"};
constexpr PgStatement kList{"sites_list", EVAPO_SITE_COLUMNS
                            " FROM sites WHERE ($1::text IS NULL OR workspace_id = $1)"
                            " ORDER BY created_at, id"};
constexpr PgStatement kUpdate{"sites_update",
                              "UPDATE sites SET settings_json = $2, updated_at = $3 WHERE id = $1"};
constexpr PgStatement kRemove{"sites_remove", "DELETE FROM sites WHERE id = $1"};
constexpr PgStatement kClaim{"sites_claim_run",
                             "INSERT INTO site_runs (site_id, local_date, node, claimed_at,"
                             " tasks_json, finished_at, outcome) VALUES ($1, $2, $3, $4, $5,"
                             " NULL, '') ON CONFLICT DO NOTHING"};
constexpr PgStatement kSetTasks{"sites_set_run_tasks",
                                "UPDATE site_runs SET tasks_json = $3 WHERE site_id = $1 AND"
                                " local_date = $2"};
constexpr PgStatement kOpenRuns{"sites_open_runs", EVAPO_RUN_COLUMNS
                                " FROM site_runs WHERE finished_at IS NULL"
                                " ORDER BY claimed_at LIMIT $1"};
constexpr PgStatement kLastRun{"sites_last_run", EVAPO_RUN_COLUMNS
                               " FROM site_runs WHERE site_id = $1"
                               " ORDER BY local_date DESC LIMIT 1"};
constexpr PgStatement kFinish{"sites_finish_run",
                              "SELECT evapo_site_finish($1, $2, $3, $4, $5::text[],"
                              " $6::double precision[], $7::text[], $8::text[], $9::text[],"
                              " $10::text[])"};
constexpr PgStatement kHistory{"sites_history",
                               "SELECT date, eto_mm, kind, detail_json, task_id, updated_at"
                               " FROM site_days WHERE site_id = $1 AND date >= $2 ORDER BY date"};

#undef EVAPO_SITE_COLUMNS
#undef EVAPO_RUN_COLUMNS

SiteRecord site_of(const PgResult& result, int row) {
  return SiteRecord{.id = result.text(row, 0),
                    .workspace_id = result.text(row, 1),
                    .settings_json = result.text(row, 2),
                    .created_at = result.text(row, 3),
                    .updated_at = result.text(row, 4)};
}

SiteRun run_of(const PgResult& result, int row) {
  SiteRun run{.site_id = result.text(row, 0),
              .local_date = result.text(row, 1),
              .node = result.text(row, 2),
              .claimed_at = result.text(row, 3),
              .tasks_json = result.text(row, 4),
              .finished_at = std::nullopt,
              .outcome = result.text(row, 6)};
  if (!result.is_null(row, 5)) run.finished_at = result.text(row, 5);
  return run;
}

}  // namespace

domain::Expected<std::shared_ptr<PostgresSiteStore>> PostgresSiteStore::create(
    std::shared_ptr<PostgresDatabase> db) {
  if (auto migrated = db->migrate("sites", kMigrations); !migrated) {
    return domain::fail(migrated.error());
  }
  return std::shared_ptr<PostgresSiteStore>(new PostgresSiteStore(std::move(db)));
}

domain::Expected<void> PostgresSiteStore::create(const SiteRecord& site) {
  const SqlValue params[] = {site.id, site.workspace_id, site.settings_json, site.created_at,
                             site.updated_at};
  auto inserted = db_->execute(kCreate, params, Idempotency::not_idempotent);
  if (!inserted) return domain::fail(inserted.error());
  if (inserted->affected() == 0) {
    return domain::fail(domain::Error::invalid_argument("site id taken"));
  }
  return {};
}

domain::Expected<std::optional<SiteRecord>> PostgresSiteStore::get(std::string_view id) {
  const SqlValue params[] = {std::string(id)};
  auto found = db_->execute(kGet, params);
  if (!found) return domain::fail(found.error());
  if (found->rows() == 0) return std::optional<SiteRecord>{};
  return std::optional<SiteRecord>{site_of(*found, 0)};
}

domain::Expected<std::vector<SiteRecord>> PostgresSiteStore::list(
    std::optional<std::string> workspace_id) {
  const SqlValue params[] = {workspace_id ? SqlValue{*workspace_id} : SqlValue{nullptr}};
  auto found = db_->execute(kList, params);
  if (!found) return domain::fail(found.error());
  std::vector<SiteRecord> out;
  for (int row = 0; row < found->rows(); ++row) out.push_back(site_of(*found, row));
  return out;
}

domain::Expected<void> PostgresSiteStore::update(const SiteRecord& site) {
  const SqlValue params[] = {site.id, site.settings_json, site.updated_at};
  auto updated = db_->execute(kUpdate, params);
  if (!updated) return domain::fail(updated.error());
  if (updated->affected() == 0) return domain::fail(domain::Error::not_found("no such site"));
  return {};
}

domain::Expected<bool> PostgresSiteStore::remove(std::string_view id) {
  const SqlValue params[] = {std::string(id)};
  auto removed = db_->execute(kRemove, params);
  if (!removed) return domain::fail(removed.error());
  return removed->affected() > 0;
}

domain::Expected<bool> PostgresSiteStore::claim_run(const SiteRun& run) {
  const SqlValue params[] = {run.site_id, run.local_date, run.node, run.claimed_at, run.tasks_json};
  // Not retried blindly: a claim whose answer was lost counts as not ours (the run is then
  // closed as orphaned and the next day's window covers it).
  auto inserted = db_->execute(kClaim, params, Idempotency::not_idempotent);
  if (!inserted) return domain::fail(inserted.error());
  return inserted->affected() > 0;
}

domain::Expected<void> PostgresSiteStore::set_run_tasks(std::string_view site_id,
                                                        std::string_view local_date,
                                                        std::string_view tasks_json) {
  const SqlValue params[] = {std::string(site_id), std::string(local_date),
                             std::string(tasks_json)};
  auto updated = db_->execute(kSetTasks, params);
  if (!updated) return domain::fail(updated.error());
  return {};
}

domain::Expected<std::vector<SiteRun>> PostgresSiteStore::open_runs(int limit) {
  const SqlValue params[] = {std::int64_t{limit}};
  auto found = db_->execute(kOpenRuns, params);
  if (!found) return domain::fail(found.error());
  std::vector<SiteRun> out;
  for (int row = 0; row < found->rows(); ++row) out.push_back(run_of(*found, row));
  return out;
}

domain::Expected<std::optional<SiteRun>> PostgresSiteStore::last_run(std::string_view site_id) {
  const SqlValue params[] = {std::string(site_id)};
  auto found = db_->execute(kLastRun, params);
  if (!found) return domain::fail(found.error());
  if (found->rows() == 0) return std::optional<SiteRun>{};
  return std::optional<SiteRun>{run_of(*found, 0)};
}

domain::Expected<void> PostgresSiteStore::finish_run(std::string_view site_id,
                                                     std::string_view local_date,
                                                     std::string_view outcome,
                                                     std::string_view finished_at,
                                                     std::span<const SiteDay> days) {
  PgArray dates;
  PgArray etos;
  PgArray kinds;
  PgArray details;
  PgArray tasks;
  PgArray updated;
  for (const auto& day : days) {
    dates.text(day.date);
    etos.real(std::isnan(day.eto_mm) ? std::nullopt : std::optional<double>(day.eto_mm));
    kinds.text(day.kind);
    details.text(day.detail_json);
    tasks.text(day.task_id);
    updated.text(day.updated_at);
  }
  const SqlValue params[] = {
      std::string(site_id), std::string(local_date), std::string(outcome), std::string(finished_at),
      dates.literal(),      etos.literal(),          kinds.literal(),      details.literal(),
      tasks.literal(),      updated.literal()};
  // Idempotent: the same days written again and the run closed again give the same rows.
  auto finished = db_->execute(kFinish, params);
  if (!finished) return domain::fail(finished.error());
  return {};
}

domain::Expected<std::vector<SiteDay>> PostgresSiteStore::history(std::string_view site_id,
                                                                  std::string_view from_date) {
  const SqlValue params[] = {std::string(site_id), std::string(from_date)};
  auto found = db_->execute(kHistory, params);
  if (!found) return domain::fail(found.error());
  std::vector<SiteDay> out;
  for (int row = 0; row < found->rows(); ++row) {
    out.push_back(SiteDay{.date = found->text(row, 0),
                          .eto_mm = found->is_null(row, 1) ? std::nan("") : found->real(row, 1),
                          .kind = found->text(row, 2),
                          .detail_json = found->text(row, 3),
                          .task_id = found->text(row, 4),
                          .updated_at = found->text(row, 5)});
  }
  return out;
}

}  // namespace evapo::storage
