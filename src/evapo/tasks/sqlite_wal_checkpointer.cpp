#include <spdlog/spdlog.h>

#include <evapo/tasks/sqlite_wal_checkpointer.hpp>

namespace evapo::tasks {

std::unique_ptr<SqliteWalCheckpointer> SqliteWalCheckpointer::attach(
    std::shared_ptr<storage::SqliteDatabase> database, std::chrono::milliseconds period) {
  if (database->path().empty() || database->path() == ":memory:") return nullptr;
  auto checkpointing = storage::SqliteDatabase::open(database->path());
  if (!checkpointing || !database->execute_script("PRAGMA wal_autocheckpoint=0")) return nullptr;
  return std::unique_ptr<SqliteWalCheckpointer>(
      new SqliteWalCheckpointer(std::move(database), std::move(*checkpointing), period));
}

SqliteWalCheckpointer::SqliteWalCheckpointer(std::shared_ptr<storage::SqliteDatabase> database,
                                             std::shared_ptr<storage::SqliteDatabase> checkpointing,
                                             std::chrono::milliseconds period)
    : database_(std::move(database)),
      checkpointing_(std::move(checkpointing)),
      loop_(
          "evapo-checkpt", period, [this] { checkpoint(); }, LoopPriority::idle) {}

SqliteWalCheckpointer::~SqliteWalCheckpointer() {
  stop();
  if (auto restored = database_->execute_script("PRAGMA wal_autocheckpoint=1000"); !restored) {
    spdlog::warn("checkpointer: SQLite's own WAL checkpoints not restored on {}: {}",
                 database_->path(), restored.error().message);
  }
}

void SqliteWalCheckpointer::stop() {
  loop_.stop();
  checkpoint();
}

void SqliteWalCheckpointer::checkpoint() {
  if (auto ok = checkpointing_->execute_script("PRAGMA wal_checkpoint(PASSIVE)"); !ok) {
    spdlog::warn("tasks: WAL checkpoint failed: {}", ok.error().message);
  }
}

}  // namespace evapo::tasks
