#pragma once

// SQLite persistence of the operations channel's backlog (ops/embedded_event_channel.hpp): one
// row per event, written before the event is delivered, so that a restarted server continues the
// channel's seq and a client that reconnects with `since` gets what it missed.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/storage/sqlite_database.hpp>

namespace evapo::storage {

/// One stored event of the operations channel.
struct OpsEventRow {
  std::int64_t seq = 0;
  std::string ts;  // ISO-8601 UTC with milliseconds
  std::string topic;
  std::string type;
  std::string node;
  std::string wire;  // the message as sent
};

class OpsEventStore {
 public:
  /// Migrates module "ops_events" in `db` and returns the store. Errors: internal on a schema
  /// failure.
  static domain::Expected<std::shared_ptr<OpsEventStore>> create(
      std::shared_ptr<SqliteDatabase> db);

  /// Stores one event. Errors: invalid_argument for a seq already stored; internal / unavailable.
  domain::Expected<void> append(const OpsEventRow& row);

  /// The newest `limit` events with ts >= `not_before` (ISO-8601), oldest first.
  domain::Expected<std::vector<OpsEventRow>> load_recent(int limit, const std::string& not_before);

  /// The highest seq the channel ever gave out (kept even after its events are pruned); 0 for a
  /// new channel.
  domain::Expected<std::int64_t> last_seq();

  /// Deletes events with seq < `oldest_kept` and remembers `last_seq` as the highest seq given.
  domain::Expected<void> prune(std::int64_t oldest_kept, std::int64_t last_seq);

 private:
  explicit OpsEventStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace evapo::storage
