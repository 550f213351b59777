#pragma once

// Versioned fusion priors (the error model that weights the weather sources): a CSV of
// `context,source,variable,sd` (pipeline/fusion_priors_file.hpp) is validated, stored as a new
// version and made active for calculations that start afterwards; a rollback restores the
// version in effect before. Version 0 is the built-in priors. Each change publishes
// priors_deployed and an activity item. Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/ops/event_channel.hpp>
#include <evapo/pipeline/fusion_priors_file.hpp>
#include <evapo/storage/priors_store.hpp>

namespace evapo::ops {

class PriorsRegistry {
 public:
  /// Opens the registry on `db` and activates the version in effect there. Errors: internal /
  /// unavailable from the store; internal when a stored version no longer parses.
  static domain::Expected<std::unique_ptr<PriorsRegistry>> open(
      std::shared_ptr<storage::SqliteDatabase> db, EventChannel& channel);

  /// For PipelineContext::priors: always the priors of the version active at the call; with
  /// none deployed (version 0), `base` (the EVAPO_FUSION_PRIORS file's), or the built-in priors
  /// when `base` is empty.
  pipeline::PriorsProvider provider(pipeline::PriorsProvider base = {}) const;

  /// Validates `csv`; when good, stores it as the next version and activates it. Errors:
  /// invalid_argument (nothing stored, nothing changed) with the line and reason; unavailable /
  /// internal from the store. Returns the new state (to_json of state()).
  domain::Expected<nlohmann::json> deploy(const std::string& csv, const std::string& note);

  /// Activates the version in effect before the current one. not_found when the built-in
  /// priors are already in effect.
  domain::Expected<nlohmann::json> roll_back();

  /// {"active_version","active":{version,rows,created_at,note},"versions":[...],
  ///  "deployments":[{version,action,at,undone}]} (newest first, 20 of each).
  domain::Expected<nlohmann::json> state();

  /// The CSV text of a stored version; not_found for an unknown one (or 0: built-in).
  domain::Expected<std::string> csv_of(std::int64_t version);

 private:
  PriorsRegistry(std::shared_ptr<storage::PriorsStore> store, EventChannel& channel)
      : store_(std::move(store)), channel_(channel) {}
  domain::Expected<void> activate(std::int64_t version);
  void announce(const std::string& action, std::int64_t previous, const nlohmann::json& state);

  std::shared_ptr<storage::PriorsStore> store_;
  EventChannel& channel_;
  std::mutex change_mutex_;  // one deploy or rollback at a time
  mutable std::mutex active_mutex_;
  std::int64_t active_version_ = 0;
  std::shared_ptr<const pipeline::PriorsProvider> active_;  // null: built-in
};

/// Data rows of a priors CSV (lines after the header that are not blank).
int priors_csv_rows(std::string_view csv);

}  // namespace evapo::ops
