#pragma once

#include <memory>

#include <evapo/storage/postgres_database.hpp>
#include <evapo/storage/site_store.hpp>

namespace evapo::storage {

/// SiteStore on PostgreSQL: every serve node of a cluster claims runs in the same table, whose
/// primary key (site, local date) lets exactly one of them have each day's run.
class PostgresSiteStore final : public SiteStore {
 public:
  /// Migrates module "sites" in `db`.
  static domain::Expected<std::shared_ptr<PostgresSiteStore>> create(
      std::shared_ptr<PostgresDatabase> db);

  domain::Expected<void> create(const SiteRecord& site) override;
  domain::Expected<std::optional<SiteRecord>> get(std::string_view id) override;
  domain::Expected<std::vector<SiteRecord>> list(std::optional<std::string> workspace_id) override;
  domain::Expected<void> update(const SiteRecord& site) override;
  domain::Expected<bool> remove(std::string_view id) override;
  domain::Expected<bool> claim_run(const SiteRun& run) override;
  domain::Expected<void> set_run_tasks(std::string_view site_id, std::string_view local_date,
                                       std::string_view tasks_json) override;
  domain::Expected<std::vector<SiteRun>> open_runs(int limit) override;
  domain::Expected<std::optional<SiteRun>> last_run(std::string_view site_id) override;
  domain::Expected<void> finish_run(std::string_view site_id, std::string_view local_date,
                                    std::string_view outcome, std::string_view finished_at,
                                    std::span<const SiteDay> days) override;
  domain::Expected<std::vector<SiteDay>> history(std::string_view site_id,
                                                 std::string_view from_date) override;

 private:
  explicit PostgresSiteStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace evapo::storage
