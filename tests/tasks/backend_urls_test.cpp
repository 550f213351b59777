#include <gtest/gtest.h>

#include <evapo/tasks/redis_client.hpp>
#include <evapo/tasks/task_backends.hpp>

namespace evapo::tasks {
namespace {

TEST(BackendUrls, RedisUrlsParse) {
  struct Case {
    std::string url;
    std::string host;
    int port;
    int db;
    std::string user;
    std::string password;
  };
  const Case cases[] = {
      {"redis://127.0.0.1:6390", "127.0.0.1", 6390, 0, "", ""},
      {"redis://cache", "cache", 6379, 0, "", ""},
      {"redis://cache:7000/3", "cache", 7000, 3, "", ""},
      {"redis://:s3cret@cache:7000", "cache", 7000, 0, "", "s3cret"},
      {"redis://evapo:s3cret@cache/2", "cache", 6379, 2, "evapo", "s3cret"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url);
    auto endpoint = parse_redis_url(c.url);
    ASSERT_TRUE(endpoint) << endpoint.error().message;
    EXPECT_EQ(endpoint->host, c.host);
    EXPECT_EQ(endpoint->port, c.port);
    EXPECT_EQ(endpoint->db, c.db);
    EXPECT_EQ(endpoint->user, c.user);
    EXPECT_EQ(endpoint->password, c.password);
  }
  for (const char* bad : {"http://cache", "redis://cache:port", "redis://cache:0",
                          "redis://cache:70000", "redis://cache/x"}) {
    EXPECT_FALSE(parse_redis_url(bad)) << bad;
  }
}

TEST(BackendUrls, PasswordsAreLeftOutOfMessages) {
  EXPECT_EQ(redact_url("postgresql://evapo:pw@db:5432/evapo"),
            "postgresql://evapo:***@db:5432/evapo");
  EXPECT_EQ(redact_url("redis://:pw@cache:6379"), "redis://:***@cache:6379");
  EXPECT_EQ(redact_url("redis://cache:6379"), "redis://cache:6379");
  EXPECT_EQ(redact_url("sqlite:///data/evapo.sqlite3"), "sqlite:///data/evapo.sqlite3");
}

TEST(BackendUrls, UnknownSchemesAndUnsupportedPairsNameTheVariable) {
  struct Case {
    BackendSettings settings;
    std::string variable;
  };
  const Case cases[] = {
      {{.database_url = "mysql://db"}, "EVAPO_DATABASE_URL"},
      {{.database_url = "sqlite:///tmp/a.db", .queue_url = "amqp://q"}, "EVAPO_QUEUE_URL"},
      {{.database_url = "sqlite:///tmp/a.db", .queue_url = "redis://q"}, "EVAPO_DATABASE_URL"},
      {{.database_url = "sqlite:///tmp/a.db", .queue_url = "sqlite:///tmp/b.db"},
       "EVAPO_QUEUE_URL"},
      {{.database_url = "postgresql://u:p@db/x"}, "EVAPO_QUEUE_URL"},
      {{.database_url = "sqlite://"}, "EVAPO_DATABASE_URL"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.settings.database_url + " + " + c.settings.queue_url);
    auto opened = open_task_backends(c.settings);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, domain::ErrorCode::invalid_argument);
    EXPECT_NE(opened.error().message.find(c.variable), std::string::npos) << opened.error().message;
    EXPECT_EQ(opened.error().message.find(":p@"), std::string::npos) << "password in the message";
  }
}

}  // namespace
}  // namespace evapo::tasks
