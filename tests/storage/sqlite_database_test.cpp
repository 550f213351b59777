#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/storage/sqlite_database.hpp>

namespace evapo::storage {
namespace {

std::string temp_db_path(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("evapo_storage_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::filesystem::remove(path);
  return path.string();
}

TEST(SqliteDatabase, OpensFileInWalMode) {
  auto db = SqliteDatabase::open(temp_db_path("wal.db"));
  ASSERT_TRUE(db) << db.error().message;
  std::string mode;
  ASSERT_TRUE(
      (*db)->query("PRAGMA journal_mode", {}, [&](const SqliteRow& row) { mode = row.text(0); }));
  EXPECT_EQ(mode, "wal");
}

TEST(SqliteDatabase, OpenFailsCleanlyOnUnwritablePath) {
  auto db = SqliteDatabase::open("/proc/evapo_cannot_create/x.db");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, domain::ErrorCode::unavailable);
}

TEST(SqliteDatabase, BindsAndReadsEveryValueKind) {
  auto db = SqliteDatabase::open(":memory:");
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->execute_script("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)"));
  const SqlValue row[] = {std::int64_t{42}, 2.5, std::string("héllo"), nullptr};
  auto changed = (*db)->execute("INSERT INTO t VALUES (?1, ?2, ?3, ?4)", row);
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 1);
  int rows = 0;
  ASSERT_TRUE((*db)->query("SELECT i, r, s, n FROM t", {}, [&](const SqliteRow& r) {
    ++rows;
    EXPECT_EQ(r.int64(0), 42);
    EXPECT_DOUBLE_EQ(r.real(1), 2.5);
    EXPECT_EQ(r.text(2), "héllo");
    EXPECT_TRUE(r.is_null(3));
    EXPECT_EQ(r.column_count(), 4);
  }));
  EXPECT_EQ(rows, 1);
}

TEST(SqliteDatabase, ReportsSqlErrors) {
  auto db = SqliteDatabase::open(":memory:");
  ASSERT_TRUE(db);
  auto bad = (*db)->execute("SELEKT 1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, domain::ErrorCode::internal);
  EXPECT_NE(bad.error().message.find("SELEKT"), std::string::npos);
}

TEST(SqliteDatabase, TransactionRollsBackOnError) {
  auto db = SqliteDatabase::open(":memory:");
  ASSERT_TRUE(db);
  auto& d = **db;
  ASSERT_TRUE(d.execute_script("CREATE TABLE t (v INTEGER)"));
  auto failed = d.transaction([&]() -> domain::Expected<void> {
    const SqlValue v[] = {std::int64_t{1}};
    if (auto ok = d.execute("INSERT INTO t VALUES (?1)", v); !ok) return domain::fail(ok.error());
    return domain::fail(domain::Error::internal("boom"));
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "boom");
  auto done = d.transaction([&]() -> domain::Expected<void> {
    const SqlValue v[] = {std::int64_t{2}};
    if (auto ok = d.execute("INSERT INTO t VALUES (?1)", v); !ok) return domain::fail(ok.error());
    // A nested transaction joins the outer one.
    return d.transaction([&]() -> domain::Expected<void> {
      const SqlValue w[] = {std::int64_t{3}};
      if (auto ok = d.execute("INSERT INTO t VALUES (?1)", w); !ok) return domain::fail(ok.error());
      return {};
    });
  });
  ASSERT_TRUE(done) << done.error().message;
  std::vector<std::int64_t> values;
  ASSERT_TRUE(d.query("SELECT v FROM t ORDER BY v", {},
                      [&](const SqliteRow& r) { values.push_back(r.int64(0)); }));
  EXPECT_EQ(values, (std::vector<std::int64_t>{2, 3}));
}

TEST(SqliteDatabase, MigratesEachModuleOnceAndIncrementally) {
  const auto path = temp_db_path("migrate.db");
  const Migration v1[] = {{1, "CREATE TABLE a (x INTEGER);"}};
  const Migration v2[] = {{1, "CREATE TABLE a (x INTEGER);"},
                          {2, "ALTER TABLE a ADD COLUMN y TEXT; CREATE TABLE b (z INTEGER);"}};
  {
    auto db = SqliteDatabase::open(path);
    ASSERT_TRUE(db);
    auto version = (*db)->migrate("mod_a", v1);
    ASSERT_TRUE(version) << version.error().message;
    EXPECT_EQ(*version, 1);
    // Another module has its own numbering.
    auto other = (*db)->migrate("mod_b", v1 /* different module, same SQL would clash */);
    ASSERT_FALSE(other);
    EXPECT_EQ(*(*db)->schema_version("mod_b"), 0);  // rolled back
  }
  auto db = SqliteDatabase::open(path);
  ASSERT_TRUE(db);
  auto version = (*db)->migrate("mod_a", v2);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 2);
  EXPECT_EQ(*(*db)->migrate("mod_a", v2), 2);  // idempotent
  EXPECT_TRUE((*db)->execute("INSERT INTO b (z) VALUES (1)"));
}

TEST(SqliteDatabase, RejectsMisnumberedMigrations) {
  auto db = SqliteDatabase::open(":memory:");
  ASSERT_TRUE(db);
  const Migration gap[] = {{1, "SELECT 1;"}, {3, "SELECT 1;"}};
  auto version = (*db)->migrate("m", gap);
  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, domain::ErrorCode::invalid_argument);
}

TEST(SqliteDatabase, SharedBetweenThreads) {
  auto db = SqliteDatabase::open(temp_db_path("threads.db"));
  ASSERT_TRUE(db);
  auto& d = **db;
  ASSERT_TRUE(d.execute_script("CREATE TABLE t (v INTEGER)"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&d, t] {
      for (int i = 0; i < 50; ++i) {
        const SqlValue v[] = {std::int64_t{t * 100 + i}};
        EXPECT_TRUE(d.execute("INSERT INTO t VALUES (?1)", v));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::int64_t count = 0;
  ASSERT_TRUE(
      d.query("SELECT COUNT(*) FROM t", {}, [&](const SqliteRow& r) { count = r.int64(0); }));
  EXPECT_EQ(count, 200);
}

}  // namespace
}  // namespace evapo::storage
