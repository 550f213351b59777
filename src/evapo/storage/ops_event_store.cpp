#include <evapo/storage/ops_event_store.hpp>

namespace evapo::storage {

using domain::Expected;
using domain::fail;

namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE ops_events ("
     " seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, topic TEXT NOT NULL, type TEXT NOT NULL,"
     " node TEXT NOT NULL, wire TEXT NOT NULL);"
     "CREATE TABLE ops_channel (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL);"
     "INSERT INTO ops_channel (id, last_seq) VALUES (1, 0);"},
};

}  // namespace

Expected<std::shared_ptr<OpsEventStore>> OpsEventStore::create(std::shared_ptr<SqliteDatabase> db) {
  if (auto migrated = db->migrate("ops_events", kMigrations); !migrated) {
    return fail(migrated.error());
  }
  return std::shared_ptr<OpsEventStore>(new OpsEventStore(std::move(db)));
}

Expected<void> OpsEventStore::append(const OpsEventRow& row) {
  const SqlValue params[] = {row.seq, row.ts, row.topic, row.type, row.node, row.wire};
  auto inserted = db_->execute(
      "INSERT INTO ops_events (seq, ts, topic, type, node, wire) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      params);
  if (!inserted) return fail(inserted.error());
  return {};
}

Expected<std::vector<OpsEventRow>> OpsEventStore::load_recent(int limit,
                                                              const std::string& not_before) {
  std::vector<OpsEventRow> rows;
  const SqlValue params[] = {not_before, std::int64_t{limit}};
  auto read = db_->query(
      "SELECT seq, ts, topic, type, node, wire FROM ("
      " SELECT * FROM ops_events WHERE ts >= ?1 ORDER BY seq DESC LIMIT ?2) ORDER BY seq",
      params, [&](const SqliteRow& row) {
        rows.push_back(
            {row.int64(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5)});
      });
  if (!read) return fail(read.error());
  return rows;
}

Expected<std::int64_t> OpsEventStore::last_seq() {
  std::int64_t last = 0;
  auto read = db_->query(
      "SELECT max((SELECT last_seq FROM ops_channel WHERE id = 1),"
      " coalesce((SELECT max(seq) FROM ops_events), 0))",
      {}, [&](const SqliteRow& row) { last = row.int64(0); });
  if (!read) return fail(read.error());
  return last;
}

Expected<void> OpsEventStore::prune(std::int64_t oldest_kept, std::int64_t last_seq) {
  return db_->transaction([&]() -> Expected<void> {
    const SqlValue oldest[] = {oldest_kept};
    if (auto deleted = db_->execute("DELETE FROM ops_events WHERE seq < ?1", oldest); !deleted) {
      return fail(deleted.error());
    }
    const SqlValue last[] = {last_seq};
    if (auto updated =
            db_->execute("UPDATE ops_channel SET last_seq = max(last_seq, ?1) WHERE id = 1", last);
        !updated) {
      return fail(updated.error());
    }
    return {};
  });
}

}  // namespace evapo::storage
