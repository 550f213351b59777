// /readyz reflects the task store (issue 11 §4.4: a corrupted database or a full disk answered
// every POST with 500 while /readyz said 200): a full store is 507 STORAGE_FULL for a POST and
// 503 for readiness, recovers by itself once space returns, and a damaged file is refused at
// start-up. No error body carries the backend's own text.

#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <evapo/storage/sqlite_database.hpp>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

std::int64_t pragma_value(storage::SqliteDatabase& db, const std::string& pragma) {
  std::int64_t value = -1;
  EXPECT_TRUE(db.query("PRAGMA " + pragma, {},
                       [&](const storage::SqliteRow& row) { value = row.int64(0); }));
  return value;
}

void expect_no_backend_text(const HttpResult& answer) {
  for (const char* leak : {"sqlite", "SQLITE", "execute failed", "database or disk", ".sqlite3",
                           "/tmp", "query failed"}) {
    EXPECT_EQ(answer.body.find(leak), std::string::npos) << answer.body;
  }
}

TEST(Readiness, AFullStoreIs507ForPostsAnd503ForReadinessAndRecovers) {
  const auto dir = temp_dir("full_store");
  auto db = storage::SqliteDatabase::open((dir / "evapo.sqlite3").string());
  ASSERT_TRUE(db);
  ServerConfig config;
  config.rate_limit_per_s = 0;
  RunningServer server(config, nullptr, nullptr, {}, *db);
  ASSERT_EQ(http_get(server.port(), "/readyz").status, 200U);
  server.submit();

  // The file may not grow any more: the next page SQLite needs fails with SQLITE_FULL, exactly
  // what a full disk gives.
  const auto pages = pragma_value(**db, "page_count");
  ASSERT_GT(pages, 0);
  ASSERT_TRUE((*db)->execute_script("PRAGMA max_page_count = " + std::to_string(pages)));
  HttpResult refused;
  for (int i = 0; i < 500 && refused.status == 0; ++i) {
    const auto answer =
        http_post(server.port(), "/api/v1/eto/calculations", RunningServer::kValidBody);
    if (answer.status != 202U) refused = answer;
  }
  ASSERT_EQ(refused.status, 507U) << refused.body;
  EXPECT_EQ(refused.json()["error"]["code"], "STORAGE_FULL");
  expect_no_backend_text(refused);

  const auto not_ready = http_get(server.port(), "/readyz");
  EXPECT_EQ(not_ready.status, 503U);
  EXPECT_EQ(not_ready.json()["error"]["code"], "STORAGE_FULL");
  expect_no_backend_text(not_ready);
  EXPECT_EQ(http_get(server.port(), "/healthz").status, 200U) << "alive, only not ready";

  // Space comes back: readiness notices by itself (its probe write succeeds), POSTs work again.
  ASSERT_TRUE((*db)->execute_script("PRAGMA max_page_count = 1073741823"));
  EXPECT_EQ(http_get(server.port(), "/readyz").status, 200U);
  EXPECT_EQ(http_post(server.port(), "/api/v1/eto/calculations", RunningServer::kValidBody).status,
            202U);
}

// Overwrites most of every other page after the first two (b-tree pages) with garbage, as a
// torn disk would.
void damage(const std::filesystem::path& file) {
  constexpr std::uintmax_t kPage = 4096;
  const auto size = std::filesystem::file_size(file);
  ASSERT_GT(size, 4U * kPage);
  std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
  const std::string garbage(3000, '\xa5');
  for (std::uintmax_t page = 2; (page + 1) * kPage <= size; page += 2) {
    out.seekp(static_cast<std::streamoff>(page * kPage + 100));
    out.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
}

TEST(Readiness, ADamagedDatabaseIsRefusedAtStartUpWithAClearMessage) {
  const auto dir = temp_dir("damaged_store");
  const auto file = dir / "evapo.sqlite3";
  {
    ServerConfig config;
    config.rate_limit_per_s = 0;
    RunningServer server(config, nullptr, nullptr, {},
                         *storage::SqliteDatabase::open(file.string()));
    for (int i = 0; i < 60; ++i) server.submit();
  }
  ASSERT_FALSE(std::filesystem::exists(dir / "evapo.sqlite3-wal") &&
               std::filesystem::file_size(dir / "evapo.sqlite3-wal") > 0)
      << "the last connection checkpoints the WAL into the file on close";
  damage(file);

  auto db = storage::SqliteDatabase::open(file.string());
  ASSERT_TRUE(db);
  auto refused = tasks::open_sqlite_task_backends(*db);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("is damaged"), std::string::npos)
      << refused.error().message;

  const std::string command = std::string(EVAPO_BINARY_DIR) + "/apps/evapo/evapo serve --port 0" +
                              " --data-dir " + dir.string() + " > " + (dir / "out.txt").string() +
                              " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::ifstream out(dir / "out.txt");
  const std::string text((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("is damaged"), std::string::npos) << text;
  EXPECT_NE(text.find("quick_check"), std::string::npos) << text;
  EXPECT_NE(text.find("restore it from a backup"), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::server::testing
