#pragma once

// SQLite persistence of the versions of fusion priors deployed through the operations API and of
// their deployment history (ops/priors_registry.hpp). Version 0, the built-in priors, is never
// stored.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/storage/sqlite_database.hpp>

namespace evapo::storage {

struct PriorsVersionRow {
  std::int64_t version = 0;
  std::string csv;
  int rows = 0;
  std::string created_at;
  std::string note;
};

struct PriorsDeploymentRow {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::string action;  // "deploy" or "rollback"
  std::string at;
  bool undone = false;  // rolled back since
};

class PriorsStore {
 public:
  /// Migrates module "fusion_priors" in `db`. Errors: internal on a schema failure.
  static domain::Expected<std::shared_ptr<PriorsStore>> create(std::shared_ptr<SqliteDatabase> db);

  /// Stores a new version and deploys it, in one transaction; returns its number (1, 2, ...).
  domain::Expected<std::int64_t> add_and_deploy(const std::string& csv, int rows,
                                                const std::string& note, const std::string& at);

  /// Undoes the newest deployment still in effect and records the rollback; returns the version
  /// in effect afterwards (0: the built-in priors). not_found when nothing is left to undo.
  domain::Expected<std::int64_t> roll_back(const std::string& at);

  /// The version in effect (0 when none was deployed or all were rolled back).
  domain::Expected<std::int64_t> active_version();

  /// A stored version (nullopt for an unknown one).
  domain::Expected<std::optional<PriorsVersionRow>> version(std::int64_t number);

  /// Every stored version, newest first (without their CSV text), and the deployment history,
  /// newest first, at most `limit` each.
  domain::Expected<std::vector<PriorsVersionRow>> versions(int limit);
  domain::Expected<std::vector<PriorsDeploymentRow>> deployments(int limit);

 private:
  explicit PriorsStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  domain::Expected<std::optional<PriorsDeploymentRow>> newest_in_effect();
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace evapo::storage
