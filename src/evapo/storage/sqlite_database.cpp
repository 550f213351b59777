#include <filesystem>
#include <string>
#include <sys/statvfs.h>

#include <sqlite3.h>

#include <evapo/storage/sqlite_database.hpp>

namespace evapo::storage {

using domain::Error;
using domain::Expected;
using domain::fail;

bool SqliteRow::is_null(int index) const {
  return sqlite3_column_type(statement_, index) == SQLITE_NULL;
}

std::int64_t SqliteRow::int64(int index) const {
  return sqlite3_column_int64(statement_, index);
}

double SqliteRow::real(int index) const {
  return sqlite3_column_double(statement_, index);
}

std::string SqliteRow::text(int index) const {
  const auto* bytes = sqlite3_column_text(statement_, index);
  if (bytes == nullptr) return {};
  const int size = sqlite3_column_bytes(statement_, index);
  return {reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size)};
}

std::string SqliteRow::blob(int index) const {
  const void* bytes = sqlite3_column_blob(statement_, index);
  if (bytes == nullptr) return {};
  const int size = sqlite3_column_bytes(statement_, index);
  return {static_cast<const char*>(bytes), static_cast<std::size_t>(size)};
}

int SqliteRow::column_count() const {
  return sqlite3_column_count(statement_);
}

Expected<std::shared_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path,
                                                               const SqliteOptions& options) {
  const bool in_memory = path == ":memory:" || path.empty();
  if (!in_memory && options.create_directories) {
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      return fail(Error::unavailable("cannot create " + parent.string() + ": " + ec.message()));
  }
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(in_memory ? ":memory:" : path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    return fail(Error::unavailable("cannot open database " + path + ": " + message));
  }
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  std::shared_ptr<SqliteDatabase> db(new SqliteDatabase(raw, in_memory ? ":memory:" : path));
  // WAL lets readers proceed while one writer commits; NORMAL sync is durable enough in WAL.
  const char* pragmas = in_memory ? "PRAGMA foreign_keys=ON;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                    "PRAGMA foreign_keys=ON;";
  if (auto ok = db->execute_script(pragmas); !ok) return fail(ok.error());
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close_v2(db_);
}

Error SqliteDatabase::sql_error(std::string_view what, int rc) {
  std::string message = std::string(what) + ": " + sqlite3_errmsg(db_);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error::unavailable(std::move(message));
    case SQLITE_FULL:
      storage_failing_ = true;
      return Error::resource_exhausted(std::move(message));
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      storage_failing_ = true;
      return Error::internal(std::move(message));
    default:
      return Error::internal(std::move(message));
  }
}

Expected<void> SqliteDatabase::quick_check() {
  std::lock_guard lock(mutex_);
  std::string problems;
  int lines = 0;
  auto ok = query("PRAGMA quick_check(5)", {}, [&](const SqliteRow& row) {
    const std::string line = row.text(0);
    if (line == "ok") return;
    if (lines++ > 0) problems += "; ";
    problems += line;
  });
  if (!ok) return ok;
  if (!problems.empty()) {
    return fail(Error::internal("PRAGMA quick_check found damage: " + problems));
  }
  return {};
}

Expected<void> SqliteDatabase::health(std::uint64_t min_free_bytes) {
  std::lock_guard lock(mutex_);
  if (auto read = query("SELECT count(*) FROM sqlite_schema", {}, [](const SqliteRow&) {}); !read) {
    return read;
  }
  if (path_ != ":memory:") {
    struct statvfs disk {};
    const auto dir = std::filesystem::path(path_).parent_path();
    if (::statvfs(dir.empty() ? "." : dir.c_str(), &disk) == 0) {
      const std::uint64_t free_bytes =
          static_cast<std::uint64_t>(disk.f_bavail) * static_cast<std::uint64_t>(disk.f_frsize);
      if (free_bytes < min_free_bytes) {
        return fail(Error::resource_exhausted("the disk holding " + path_ + " has only " +
                                              std::to_string(free_bytes / 1024) + " KB free"));
      }
    }
  }
  if (!storage_failing_) return {};
  // A write failed: only a write shows whether they work again (space freed, disk back).
  auto probed = execute_script(
      "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS evapo_write_probe (b BLOB);"
      " INSERT INTO evapo_write_probe VALUES (zeroblob(65536)); DELETE FROM evapo_write_probe;"
      " COMMIT;");
  if (!probed) {
    if (sqlite3_get_autocommit(db_) == 0) return fail(rolled_back(std::move(probed.error())));
    return probed;
  }
  storage_failing_ = false;
  return {};
}

Expected<void> SqliteDatabase::execute_script(std::string_view sql) {
  std::lock_guard lock(mutex_);
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    Error error = sql_error("script failed", rc);
    error.message = "script failed: " + detail;
    return fail(std::move(error));
  }
  return {};
}

Expected<sqlite3_stmt*> SqliteDatabase::prepare_cached(std::string_view sql) {
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) {
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }
  sqlite3_stmt* statement = nullptr;
  const int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (rc != SQLITE_OK) return fail(sql_error("prepare failed for \"" + key + "\"", rc));
  statements_.emplace(std::move(key), statement);
  return statement;
}

Expected<void> SqliteDatabase::bind_all(sqlite3_stmt* statement, std::span<const SqlValue> params) {
  int index = 1;
  for (const auto& value : params) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) {
      rc = sqlite3_bind_null(statement, index);
    } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
      rc = sqlite3_bind_int64(statement, index, *i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(statement, index, *d);
    } else if (const auto* b = std::get_if<SqlBlob>(&value)) {
      rc =
          sqlite3_bind_blob64(statement, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
    } else {
      const auto& s = std::get<std::string>(value);
      rc = sqlite3_bind_text64(statement, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) return fail(sql_error("bind failed", rc));
    ++index;
  }
  return {};
}

Expected<std::int64_t> SqliteDatabase::execute(std::string_view sql,
                                               std::span<const SqlValue> params) {
  std::lock_guard lock(mutex_);
  auto statement = prepare_cached(sql);
  if (!statement) return fail(statement.error());
  if (auto bound = bind_all(*statement, params); !bound) return fail(bound.error());
  int rc = SQLITE_ROW;
  while (rc == SQLITE_ROW) rc = sqlite3_step(*statement);
  sqlite3_reset(*statement);
  if (rc != SQLITE_DONE) return fail(sql_error("execute failed", rc));
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

Expected<void> SqliteDatabase::query(std::string_view sql, std::span<const SqlValue> params,
                                     const std::function<void(const SqliteRow&)>& on_row) {
  std::lock_guard lock(mutex_);
  auto statement = prepare_cached(sql);
  if (!statement) return fail(statement.error());
  if (auto bound = bind_all(*statement, params); !bound) return fail(bound.error());
  const SqliteRow row(*statement);
  int rc = sqlite3_step(*statement);
  while (rc == SQLITE_ROW) {
    on_row(row);
    rc = sqlite3_step(*statement);
  }
  sqlite3_reset(*statement);
  if (rc != SQLITE_DONE) return fail(sql_error("query failed", rc));
  return {};
}

std::int64_t SqliteDatabase::last_insert_rowid() const {
  std::lock_guard lock(mutex_);
  return sqlite3_last_insert_rowid(db_);
}

Error SqliteDatabase::rolled_back(Error cause) {
  if (auto rolled = execute_script("ROLLBACK"); !rolled) {
    cause.message += " (and ROLLBACK failed: " + rolled.error().message + ")";
  }
  return cause;
}

Expected<void> SqliteDatabase::transaction(const std::function<Expected<void>()>& body) {
  std::lock_guard lock(mutex_);
  if (transaction_depth_ > 0) {
    ++transaction_depth_;
    auto result = body();
    --transaction_depth_;
    return result;
  }
  if (auto begun = execute_script("BEGIN IMMEDIATE"); !begun) return begun;
  transaction_depth_ = 1;
  auto result = body();
  transaction_depth_ = 0;
  if (!result) return fail(rolled_back(std::move(result.error())));
  if (auto committed = execute_script("COMMIT"); !committed) {
    return fail(rolled_back(std::move(committed.error())));
  }
  return {};
}

Expected<int> SqliteDatabase::schema_version(std::string_view module) {
  std::lock_guard lock(mutex_);
  if (auto ok = execute_script(
          "CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER "
          "NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, "
          "PRIMARY KEY (module, version))");
      !ok) {
    return fail(ok.error());
  }
  int version = 0;
  const SqlValue params[] = {std::string(module)};
  auto ok = query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = ?1",
                  params, [&](const SqliteRow& row) { version = static_cast<int>(row.int64(0)); });
  if (!ok) return fail(ok.error());
  return version;
}

Expected<int> SqliteDatabase::migrate(std::string_view module,
                                      std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return fail(Error::invalid_argument("migrations of " + std::string(module) +
                                          " must be numbered 1..N in order"));
    }
  }
  std::lock_guard lock(mutex_);
  auto current = schema_version(module);
  if (!current) return current;
  for (const auto& migration : migrations) {
    if (migration.version <= *current) continue;
    auto applied = transaction([&]() -> Expected<void> {
      if (auto ok = execute_script(migration.sql); !ok) return ok;
      const SqlValue params[] = {std::string(module), std::int64_t{migration.version}};
      auto recorded =
          execute("INSERT INTO schema_migrations (module, version) VALUES (?1, ?2)", params);
      if (!recorded) return fail(recorded.error());
      return {};
    });
    if (!applied) {
      Error error = applied.error();
      error.message = std::string(module) + " migration " + std::to_string(migration.version) +
                      " failed: " + error.message;
      return fail(std::move(error));
    }
    *current = migration.version;
  }
  return *current;
}

}  // namespace evapo::storage
