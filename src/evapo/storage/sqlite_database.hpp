#pragma once

// An RAII SQLite connection shared by every store that persists to SQLite (weather cache, task
// and event store): WAL journal, busy timeout, cached prepared statements, transactions and a
// per-module versioned migration runner. All calls are serialised by one recursive mutex, so one
// SqliteDatabase may be shared between threads.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <evapo/domain/error.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace evapo::storage {

/// Bytes bound as a BLOB (a std::string binds as TEXT).
struct SqlBlob {
  std::string bytes;
};

/// A value bound to a statement parameter or read from a column.
using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string, SqlBlob>;

/// One result row while a query runs; valid only inside the row callback.
class SqliteRow {
 public:
  explicit SqliteRow(sqlite3_stmt* statement) : statement_(statement) {}
  /// True when column `index` (0-based) is SQL NULL.
  bool is_null(int index) const;
  std::int64_t int64(int index) const;
  double real(int index) const;
  /// Text of the column ("" for NULL).
  std::string text(int index) const;
  /// Bytes of a BLOB column ("" for NULL).
  std::string blob(int index) const;
  int column_count() const;

 private:
  sqlite3_stmt* statement_;
};

/// How to open a database.
struct SqliteOptions {
  std::chrono::milliseconds busy_timeout{5000};
  /// Create the parent directory of the file when missing.
  bool create_directories = true;
};

/// One versioned schema step of a module ("weather_cache" v1, v2, ...). Versions start at 1 and
/// increase by one; `sql` may hold several statements.
struct Migration {
  int version = 0;
  std::string_view sql;
};

class SqliteDatabase {
 public:
  /// Opens (creating if needed) the database at `path` (":memory:" for a private in-memory one),
  /// in WAL mode with foreign keys on. Errors: unavailable when the file cannot be opened.
  static domain::Expected<std::shared_ptr<SqliteDatabase>> open(const std::string& path,
                                                                const SqliteOptions& options = {});

  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  /// Runs one or more statements without parameters (DDL, PRAGMA). Errors: internal.
  domain::Expected<void> execute_script(std::string_view sql);

  /// Runs one statement with positional parameters (?1, ?2 ...) and returns the number of rows
  /// changed. The prepared statement is cached by its SQL text. Errors: internal, unavailable
  /// (database busy past the busy timeout).
  domain::Expected<std::int64_t> execute(std::string_view sql,
                                         std::span<const SqlValue> params = {});

  /// Runs a query and calls `on_row` for each row (in order). Same errors as execute.
  domain::Expected<void> query(std::string_view sql, std::span<const SqlValue> params,
                               const std::function<void(const SqliteRow&)>& on_row);

  /// rowid of the last successful INSERT on this connection.
  std::int64_t last_insert_rowid() const;

  /// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back when it returns an error. Nested
  /// calls (from the same thread inside `body`) join the outer transaction.
  domain::Expected<void> transaction(const std::function<domain::Expected<void>()>& body);

  /// Brings module `module` to the highest version in `migrations`, applying each missing step
  /// in its own transaction and recording it in `schema_migrations`. Returns the version now
  /// applied. Errors: invalid_argument when versions are not 1..N in order, internal on SQL errors.
  domain::Expected<int> migrate(std::string_view module, std::span<const Migration> migrations);

  /// The version of `module` currently applied (0 when none).
  domain::Expected<int> schema_version(std::string_view module);

  /// PRAGMA quick_check: the file's structure (pages, b-trees, records) is sound. Errors:
  /// internal naming the first problems found (the database is damaged).
  domain::Expected<void> quick_check();

  /// Whether the database can be used now: it answers a read; the disk holding it has at least
  /// `min_free_bytes` free; and, after a write failed for lack of space or an I/O error, a
  /// probe write of 64 KB (committed, then deleted) succeeds again. Errors: resource_exhausted
  /// for a full disk (or database), internal / unavailable otherwise.
  domain::Expected<void> health(std::uint64_t min_free_bytes);

  /// The file path given to open().
  const std::string& path() const { return path_; }

 private:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  domain::Expected<sqlite3_stmt*> prepare_cached(std::string_view sql);
  domain::Error sql_error(std::string_view what, int rc);
  // Rolls the open transaction back after `cause`; a ROLLBACK that fails too is added to its
  // message (the connection may still be inside the transaction).
  domain::Error rolled_back(domain::Error cause);
  domain::Expected<void> bind_all(sqlite3_stmt* statement, std::span<const SqlValue> params);

  sqlite3* db_;
  std::string path_;
  mutable std::recursive_mutex mutex_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  int transaction_depth_ = 0;
  // A write failed for lack of space or an I/O error and no probe write of health() has
  // succeeded since (a small in-place update succeeding proves nothing about space).
  bool storage_failing_ = false;
};

}  // namespace evapo::storage
