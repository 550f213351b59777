#pragma once

// A pool of libpq connections to one PostgreSQL database, shared by every store that persists
// there (task records and event logs, the weather cache). Only prepared statements run against
// it (each PgStatement is prepared once per connection, by name; SQL is never built from
// input), plus the constant migration scripts, recorded per module in `schema_migrations` as the
// SQLite backend does. A dropped connection (PostgreSQL restarted, network cut) is replaced with
// backoff; a statement is re-sent only when it certainly did not run or is marked idempotent.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/storage/sqlite_database.hpp>

struct pg_conn;
struct pg_result;

namespace evapo::storage {

/// A statement of the application: a unique name and constant SQL with $1, $2 ... parameters.
struct PgStatement {
  std::string_view name;
  std::string_view sql;
};

/// Whether running a statement twice is harmless (reads, updates to a fixed value): such a
/// statement is retried even when the connection broke after it was sent.
enum class Idempotency { idempotent, not_idempotent };

/// How result columns come back: text, or binary (bytea as raw bytes, int8 as 8 bytes).
enum class ResultFormat { text, binary };

/// An owned query result.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* result);
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  /// Rows an INSERT / UPDATE / DELETE changed.
  std::int64_t affected() const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  double real(int row, int column) const;
  bool boolean(int row, int column) const;
  /// A bytea column's bytes (either result format).
  std::string bytes(int row, int column) const;

 private:
  pg_result* result_ = nullptr;
};

struct PostgresOptions {
  /// Connections kept open at most; callers beyond wait for one.
  int connections = 8;
  /// How long a call keeps trying to reach the server before answering unavailable.
  std::chrono::milliseconds retry_budget{std::chrono::seconds(1)};
  /// How long a connection attempt may take.
  std::chrono::seconds connect_timeout{5};
};

class PostgresDatabase {
 public:
  /// Connects once to check the URL (libpq URI or conninfo: postgresql://user:pw@host:port/db).
  /// Errors: unavailable with libpq's reason (refused, bad credentials, unknown database).
  static domain::Expected<std::shared_ptr<PostgresDatabase>> open(
      const std::string& url, const PostgresOptions& options = {});
  ~PostgresDatabase();
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  /// Runs the prepared statement with `params` (std::string: text; SqlBlob: bytea; numbers as
  /// text; nullptr: NULL). Errors: invalid_argument for a unique-key violation (SQLSTATE 23505);
  /// unavailable when the server cannot be reached within the retry budget, or the connection
  /// broke after a not-idempotent statement was sent (it may or may not have run); internal for
  /// any other SQL error.
  domain::Expected<PgResult> execute(const PgStatement& statement, std::span<const SqlValue> params,
                                     Idempotency idempotency = Idempotency::idempotent,
                                     ResultFormat format = ResultFormat::text);

  /// Brings `module` to the highest version of `migrations` (1..N in order), each step in its own
  /// transaction under an advisory lock (several processes may start at once), recorded in
  /// schema_migrations. Returns the version applied. Errors: internal on SQL errors.
  domain::Expected<int> migrate(std::string_view module, std::span<const Migration> migrations);

  /// Checks that the server answers (SELECT 1). Errors: unavailable.
  domain::Expected<void> ping();

 private:
  struct Connection;
  explicit PostgresDatabase(std::string url, PostgresOptions options);
  domain::Expected<std::unique_ptr<Connection>> connect();
  domain::Expected<std::unique_ptr<Connection>> acquire(
      std::chrono::steady_clock::time_point give_up);
  void release(std::unique_ptr<Connection> connection);

  std::string url_;
  PostgresOptions options_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // connections existing (idle or lent)
};

}  // namespace evapo::storage
