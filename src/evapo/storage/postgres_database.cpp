#include <algorithm>
#include <charconv>
#include <cstring>
#include <poll.h>
#include <thread>
#include <unordered_set>

#include <endian.h>
#include <libpq-fe.h>

#include <evapo/storage/postgres_database.hpp>

namespace evapo::storage {

using domain::Error;
using domain::Expected;
using domain::fail;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

// Any fixed number: the advisory lock every process takes while migrating.
constexpr std::int64_t kMigrationLock = 0x65766170'6f6d6967;  // "evapomig"

std::string first_line(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  return text;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

// SQLSTATE classes that mean the server (not the statement) is the problem.
bool server_unavailable(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate == "53300";
}

}  // namespace

struct PostgresDatabase::Connection {
  explicit Connection(PGconn* handle) : conn(handle) {}
  ~Connection() { PQfinish(conn); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // An idle connection the server closed (restart, administrator command) is readable: take
  // what it said, and see whether it is still usable.
  bool healthy() {
    if (PQstatus(conn) != CONNECTION_OK) return false;
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (::poll(&fd, 1, 0) > 0) {
      if (PQconsumeInput(conn) == 0) return false;
      while (PGnotify* notify = PQnotifies(conn)) PQfreemem(notify);
    }
    return PQstatus(conn) == CONNECTION_OK;
  }

  PGconn* conn;
  std::unordered_set<std::string> prepared;
};

PgResult::PgResult(pg_result* result) : result_(result) {}
PgResult::PgResult(PgResult&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}
PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

int PgResult::rows() const {
  return result_ != nullptr ? PQntuples(result_) : 0;
}

std::int64_t PgResult::affected() const {
  if (result_ == nullptr) return 0;
  const char* text = PQcmdTuples(result_);
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

bool PgResult::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::int64_t PgResult::int64(int row, int column) const {
  if (is_null(row, column)) return 0;
  const char* value = PQgetvalue(result_, row, column);
  const int length = PQgetlength(result_, row, column);
  if (PQfformat(result_, column) == 1) {
    if (length == 8) {
      std::uint64_t big = 0;
      std::memcpy(&big, value, 8);
      return static_cast<std::int64_t>(be64toh(big));
    }
    if (length == 4) {
      std::uint32_t big = 0;
      std::memcpy(&big, value, 4);
      return static_cast<std::int32_t>(be32toh(big));
    }
    return 0;
  }
  std::int64_t parsed = 0;
  std::from_chars(value, value + length, parsed);
  return parsed;
}

double PgResult::real(int row, int column) const {
  const std::string value = text(row, column);
  double parsed = 0.0;
  std::from_chars(value.data(), value.data() + value.size(), parsed);
  return parsed;
}

bool PgResult::boolean(int row, int column) const {
  const char* value = PQgetvalue(result_, row, column);
  if (PQfformat(result_, column) == 1) return value[0] != 0;
  return value[0] == 't';
}

std::string PgResult::bytes(int row, int column) const {
  const char* value = PQgetvalue(result_, row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result_, row, column));
  if (PQfformat(result_, column) == 1) return std::string(value, length);
  // Text format: "\x" then two hex digits per byte.
  if (length < 2 || value[0] != '\\' || value[1] != 'x') return std::string(value, length);
  std::string out((length - 2) / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(hex_digit(value[2 + 2 * i]) * 16 + hex_digit(value[3 + 2 * i]));
  }
  return out;
}

PostgresDatabase::PostgresDatabase(std::string url, PostgresOptions options)
    : url_(std::move(url)), options_(options) {}

PostgresDatabase::~PostgresDatabase() = default;

Expected<std::shared_ptr<PostgresDatabase>> PostgresDatabase::open(const std::string& url,
                                                                   const PostgresOptions& options) {
  auto database = std::shared_ptr<PostgresDatabase>(new PostgresDatabase(url, options));
  auto first = database->connect();
  if (!first) return fail(first.error());
  std::lock_guard lock(database->mutex_);
  ++database->open_;
  database->idle_.push_back(std::move(*first));
  return database;
}

Expected<std::unique_ptr<PostgresDatabase::Connection>> PostgresDatabase::connect() {
  const std::string timeout = std::to_string(options_.connect_timeout.count());
  // dbname with expand_dbname = 1 takes the whole URI / conninfo; the rest are our defaults.
  const char* keywords[] = {
      "dbname",          "connect_timeout",     "application_name", "keepalives",
      "keepalives_idle", "keepalives_interval", "keepalives_count", nullptr};
  const char* values[] = {url_.c_str(), timeout.c_str(), "evapo", "1", "10", "5", "3", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr) return fail(Error::unavailable("out of memory connecting to PostgreSQL"));
  if (PQstatus(conn) != CONNECTION_OK) {
    Error error =
        Error::unavailable("cannot connect to PostgreSQL: " + first_line(PQerrorMessage(conn)));
    PQfinish(conn);
    return fail(std::move(error));
  }
  return std::make_unique<Connection>(conn);
}

Expected<std::unique_ptr<PostgresDatabase::Connection>> PostgresDatabase::acquire(
    steady_clock::time_point give_up) {
  milliseconds backoff{25};
  std::unique_lock lock(mutex_);
  while (true) {
    while (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      if (connection->healthy()) return connection;
      --open_;  // dropped: the server went away since it was used
    }
    if (open_ < options_.connections) {
      ++open_;
      lock.unlock();
      auto connection = connect();
      if (connection) return connection;
      lock.lock();
      --open_;
      if (steady_clock::now() + backoff >= give_up) return fail(connection.error());
      lock.unlock();
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, milliseconds{400});
      lock.lock();
      continue;
    }
    if (returned_.wait_until(lock, give_up) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.connections) {
      return fail(Error::unavailable("every PostgreSQL connection is busy"));
    }
  }
}

void PostgresDatabase::release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    if (PQstatus(connection->conn) == CONNECTION_OK &&
        PQtransactionStatus(connection->conn) == PQTRANS_IDLE) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
      connection.reset();
    }
  }
  returned_.notify_one();
}

Expected<PgResult> PostgresDatabase::execute(const PgStatement& statement,
                                             std::span<const SqlValue> params,
                                             Idempotency idempotency, ResultFormat format) {
  // Parameters as libpq wants them, built once for every attempt.
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<int> lengths(params.size(), 0);
  std::vector<int> formats(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            values[i] = nullptr;
          } else if constexpr (std::is_same_v<T, std::string>) {
            values[i] = value.c_str();
            lengths[i] = static_cast<int>(value.size());
          } else if constexpr (std::is_same_v<T, SqlBlob>) {
            values[i] = value.bytes.data();
            lengths[i] = static_cast<int>(value.bytes.size());
            formats[i] = 1;
          } else {
            texts[i] = std::to_string(value);
            values[i] = texts[i].c_str();
            lengths[i] = static_cast<int>(texts[i].size());
          }
        },
        params[i]);
  }
  const std::string name(statement.name);
  const auto give_up = steady_clock::now() + options_.retry_budget;
  milliseconds backoff{25};
  const auto wait_and_retry = [&]() {
    if (steady_clock::now() + backoff >= give_up) return false;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, milliseconds{400});
    return true;
  };
  while (true) {
    auto acquired = acquire(give_up);
    if (!acquired) return fail(acquired.error());
    std::unique_ptr<Connection> connection = std::move(*acquired);
    PGconn* conn = connection->conn;
    if (!connection->prepared.contains(name)) {
      const std::string sql(statement.sql);
      PGresult* prepared = PQprepare(conn, name.c_str(), sql.c_str(), 0, nullptr);
      const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
      const std::string reason = first_line(PQresultErrorMessage(prepared));
      PQclear(prepared);
      if (!ok) {
        const bool lost = PQstatus(conn) != CONNECTION_OK;
        release(std::move(connection));
        // Preparing runs nothing: safe to try again on a new connection.
        if (lost && wait_and_retry()) continue;
        if (lost) return fail(Error::unavailable("PostgreSQL connection lost: " + reason));
        return fail(Error::internal("preparing " + name + ": " + reason));
      }
      connection->prepared.insert(name);
    }
    if (PQsendQueryPrepared(conn, name.c_str(), static_cast<int>(params.size()), values.data(),
                            lengths.data(), formats.data(),
                            format == ResultFormat::binary ? 1 : 0) == 0) {
      // Not sent: certainly not run.
      const std::string reason = first_line(PQerrorMessage(conn));
      release(std::move(connection));
      if (wait_and_retry()) continue;
      return fail(Error::unavailable("PostgreSQL: " + reason));
    }
    // One statement gives one result; keep the first (an error ends the statement too).
    PGresult* result = nullptr;
    while (PGresult* next = PQgetResult(conn)) {
      if (result == nullptr) {
        result = next;
      } else {
        PQclear(next);
      }
    }
    const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      release(std::move(connection));
      return PgResult(result);
    }
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state != nullptr ? state : "";
    const std::string reason =
        first_line(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn));
    if (result != nullptr) PQclear(result);
    const bool lost = PQstatus(conn) != CONNECTION_OK;
    release(std::move(connection));
    if (lost || server_unavailable(sqlstate)) {
      // Sent, then the server went away: it may have run. Only a harmless repeat is retried.
      if (idempotency == Idempotency::idempotent && wait_and_retry()) continue;
      return fail(Error::unavailable("PostgreSQL: " + reason));
    }
    if (sqlstate == "40001" || sqlstate == "40P01") {
      if (wait_and_retry()) continue;  // serialization failure or deadlock: rolled back
    }
    if (sqlstate == "23505") return fail(Error::invalid_argument(reason));
    return fail(Error::internal(name + ": " + reason));
  }
}

Expected<void> PostgresDatabase::ping() {
  static constexpr PgStatement kPing{"evapo_ping", "SELECT 1"};
  auto result = execute(kPing, {});
  if (!result) return fail(result.error());
  return {};
}

Expected<int> PostgresDatabase::migrate(std::string_view module,
                                        std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return fail(Error::invalid_argument("migrations of " + std::string(module) +
                                          " must be numbered 1..N in order"));
    }
  }
  auto acquired = acquire(steady_clock::now() + options_.retry_budget);
  if (!acquired) return fail(acquired.error());
  std::unique_ptr<Connection> connection = std::move(*acquired);
  PGconn* conn = connection->conn;
  const auto run = [&](const char* sql,
                       std::vector<const char*> params = {}) -> Expected<PgResult> {
    PGresult* result = PQexecParams(conn, sql, static_cast<int>(params.size()), nullptr,
                                    params.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string reason = first_line(PQresultErrorMessage(result));
      PQclear(result);
      return fail(Error::internal("migrating " + std::string(module) + ": " + reason));
    }
    return PgResult(result);
  };
  const auto rollback = [&](Error error) -> Expected<int> {
    PQclear(PQexec(conn, "ROLLBACK"));
    release(std::move(connection));
    return fail(std::move(error));
  };
  const std::string lock_key = std::to_string(kMigrationLock);
  const std::string module_name(module);
  if (auto begun = run("BEGIN"); !begun) return rollback(begun.error());
  if (auto locked = run("SELECT pg_advisory_xact_lock($1::bigint)", {lock_key.c_str()}); !locked) {
    return rollback(locked.error());
  }
  if (auto table = run("CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " module TEXT NOT NULL, version INTEGER NOT NULL,"
                       " applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                       " PRIMARY KEY (module, version))");
      !table) {
    return rollback(table.error());
  }
  auto current = run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = $1",
                     {module_name.c_str()});
  if (!current) return rollback(current.error());
  int version = static_cast<int>(current->int64(0, 0));
  for (const auto& migration : migrations) {
    if (migration.version <= version) continue;
    // Constant scripts of this program, several statements each: the simple query protocol.
    const std::string sql(migration.sql);
    PGresult* applied = PQexec(conn, sql.c_str());
    const bool ok =
        PQresultStatus(applied) == PGRES_COMMAND_OK || PQresultStatus(applied) == PGRES_TUPLES_OK;
    const std::string reason = first_line(PQresultErrorMessage(applied));
    PQclear(applied);
    if (!ok) {
      return rollback(Error::internal("migrating " + module_name + " to version " +
                                      std::to_string(migration.version) + ": " + reason));
    }
    const std::string number = std::to_string(migration.version);
    if (auto recorded = run("INSERT INTO schema_migrations (module, version) VALUES ($1, $2::int)",
                            {module_name.c_str(), number.c_str()});
        !recorded) {
      return rollback(recorded.error());
    }
    version = migration.version;
  }
  if (auto committed = run("COMMIT"); !committed) return rollback(committed.error());
  release(std::move(connection));
  return version;
}

}  // namespace evapo::storage
