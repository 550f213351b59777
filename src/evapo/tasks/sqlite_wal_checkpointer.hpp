#pragma once

#include <chrono>
#include <memory>

#include <evapo/domain/error.hpp>
#include <evapo/storage/sqlite_database.hpp>
#include <evapo/tasks/background_work.hpp>
#include <evapo/tasks/periodic_loop.hpp>

namespace evapo::tasks {

/// Copies the WAL of the task database into the file every `period` from a second connection at
/// idle priority. The task connection never checkpoints itself (wal_autocheckpoint=0), so no
/// submit or publish ever waits for a checkpoint's fsync. Stopping does a last checkpoint and
/// hands checkpointing back to SQLite (the connection may be shared and outlive us).
class SqliteWalCheckpointer final : public BackgroundWork {
 public:
  /// nullptr for an in-memory database (nothing to checkpoint) or when the second connection
  /// cannot be opened (SQLite then checkpoints by itself, on the writer's path).
  static std::unique_ptr<SqliteWalCheckpointer> attach(
      std::shared_ptr<storage::SqliteDatabase> database, std::chrono::milliseconds period);
  ~SqliteWalCheckpointer() override;

  void start() override { loop_.start(); }
  void stop() override;

 private:
  SqliteWalCheckpointer(std::shared_ptr<storage::SqliteDatabase> database,
                        std::shared_ptr<storage::SqliteDatabase> checkpointing,
                        std::chrono::milliseconds period);
  void checkpoint();

  std::shared_ptr<storage::SqliteDatabase> database_;
  std::shared_ptr<storage::SqliteDatabase> checkpointing_;
  PeriodicLoop loop_;
};

}  // namespace evapo::tasks
