// Configuration precedence (defaults < file < EVAPO_* environment < flags) and its errors, through
// resolve_config and through the real `evapo serve` command line.

#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <evapo/server/config.hpp>

#include "server_fixture.hpp"

namespace evapo::server {
namespace {

std::string write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path.string();
}

TEST(ServerConfig, DefaultsAreTheEmbeddedSetup) {
  auto config = resolve_config({});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8000);
  EXPECT_EQ(config->task_timeout_s, 1800);
  EXPECT_EQ(config->ws_ping_interval_s, 20);
}

TEST(ServerConfig, FileThenEnvironmentThenFlagsEachOverrideTheOneBefore) {
  const auto dir = testing::temp_dir("config");
  ConfigSources sources;
  sources.file_path =
      write_file(dir / "c.json", R"({"port": 9001, "workers": 3, "host": "0.0.0.0"})");
  auto from_file = resolve_config(sources);
  ASSERT_TRUE(from_file);
  EXPECT_EQ(from_file->port, 9001);
  EXPECT_EQ(from_file->workers, 3);
  EXPECT_EQ(from_file->host, "0.0.0.0");

  sources.environment = {{"EVAPO_PORT", "9002"}, {"EVAPO_WORKERS", "4"}, {"EVAPO_SOURCES", "nws"}};
  auto from_env = resolve_config(sources);
  ASSERT_TRUE(from_env) << from_env.error().message;  // other layers' variables are left alone
  EXPECT_EQ(from_env->port, 9002);
  EXPECT_EQ(from_env->workers, 4);
  EXPECT_EQ(from_env->host, "0.0.0.0");

  sources.flags = {{"port", "9003"}};
  auto from_flags = resolve_config(sources);
  ASSERT_TRUE(from_flags);
  EXPECT_EQ(from_flags->port, 9003);
  EXPECT_EQ(from_flags->workers, 4);
  std::filesystem::remove_all(dir);
}

TEST(ServerConfig, AccessSettingsComeFromTheEnvironmentAndSecretsAreNeverEchoed) {
  ConfigSources sources;
  sources.environment = {{"EVAPO_ADMIN_TOKEN", "a-long-enough-admin-token"},
                         {"EVAPO_ALLOWED_ORIGINS", "https://a.example, http://localhost:5173"},
                         {"EVAPO_CORS", "on"},
                         {"EVAPO_METRICS_ACCESS", "any"},
                         {"EVAPO_MAX_QUEUED_TASKS", "50"}};
  auto config = resolve_config(sources);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->admin_token, "a-long-enough-admin-token");
  EXPECT_EQ(config->allowed_origins, "https://a.example, http://localhost:5173");
  EXPECT_TRUE(config->cors);
  EXPECT_EQ(config->metrics_access, "any");
  EXPECT_EQ(config->max_queued_tasks, 50);
  sources.environment = {{"EVAPO_METRICS_TOKEN", "leaky"}};
  auto refused = resolve_config(sources);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.find("leaky"), std::string::npos) << refused.error().message;
}

TEST(ServerConfig, ErrorsNameTheKey) {
  const auto dir = testing::temp_dir("config_errors");
  struct Case {
    const char* name;
    ConfigSources sources;
    const char* key;
  };
  const Case cases[] = {
      {"unknown file key", {write_file(dir / "a.json", R"({"prot": 1})"), {}, {}}, "prot"},
      {"wrong type in file", {write_file(dir / "b.json", R"({"port": "x"})"), {}, {}}, "port"},
      {"out of range env", {std::nullopt, {{"EVAPO_PORT", "70000"}}, {}}, "port"},
      {"not a number flag", {std::nullopt, {}, {{"workers", "many"}}}, "workers"},
      {"short admin token", {std::nullopt, {{"EVAPO_ADMIN_TOKEN", "short"}}, {}}, "admin_token"},
      {"origin with a path",
       {std::nullopt, {{"EVAPO_ALLOWED_ORIGINS", "https://a.example/app"}}, {}},
       "allowed_origins"},
      {"cors neither on nor off", {std::nullopt, {{"EVAPO_CORS", "maybe"}}, {}}, "cors"},
      {"metrics access unknown",
       {std::nullopt, {{"EVAPO_METRICS_ACCESS", "lan"}}, {}},
       "metrics_access"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto config = resolve_config(c.sources);
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().code, domain::ErrorCode::invalid_argument);
    EXPECT_NE(config.error().message.find(c.key), std::string::npos) << config.error().message;
  }
  ConfigSources missing;
  missing.file_path = (dir / "absent.json").string();
  EXPECT_EQ(resolve_config(missing).error().code, domain::ErrorCode::not_found);
  std::filesystem::remove_all(dir);
}

TEST(ServeCommand, UnknownConfigKeyExitsWith2AndAMessage) {
  const auto dir = testing::temp_dir("serve_cmd");
  const auto file = write_file(dir / "bad.json", R"({"port": 0, "colour": "blue"})");
  const std::string command = std::string(EVAPO_BINARY_DIR) + "/apps/evapo/evapo serve --config " +
                              file + " > " + (dir / "out.txt").string() + " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::ifstream out(dir / "out.txt");
  const std::string text((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("unknown key 'colour'"), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::server
