// deploy/ (Dockerfile, compose file, systemd units) describes the cluster scripts/cluster starts:
// the same commands, ports and variables. Images cannot be built here (no registry is
// reachable), so this is what keeps them from drifting apart.

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace evapo {
namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::filesystem::path(EVAPO_SOURCE_DIR) / relative);
  EXPECT_TRUE(in) << relative;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string first_match(const std::string& text, const std::string& pattern) {
  std::smatch match;
  const std::regex re(pattern);
  EXPECT_TRUE(std::regex_search(text, match, re)) << "no match for " << pattern;
  return match.size() > 1 ? match[1].str() : std::string();
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// What scripts/cluster starts, read from the script itself.
struct ClusterShape {
  std::string redis_port, postgres_port, first_serve_port;
  int nodes = 0, workers = 0;
  std::string serve_command, worker_command, redis_flags;
  std::set<std::string> variables;
};

ClusterShape cluster_shape() {
  const std::string script = read("scripts/cluster");
  ClusterShape shape;
  shape.redis_port = first_match(script, R"(EVAPO_CLUSTER_REDIS_PORT:-([0-9]+))");
  shape.postgres_port = first_match(script, R"(EVAPO_CLUSTER_POSTGRES_PORT:-([0-9]+))");
  shape.first_serve_port = first_match(script, R"(EVAPO_CLUSTER_SERVE_PORT:-([0-9]+))");
  shape.nodes = std::stoi(first_match(script, R"(\nNODES=([0-9]+))"));
  shape.workers = std::stoi(first_match(script, R"(\nWORKERS=([0-9]+))"));
  shape.serve_command = first_match(script, R"lit("\$evapo" (serve[^\n]*))lit");
  shape.worker_command = first_match(script, R"lit("\$evapo" (worker[^\n]*))lit");
  shape.redis_flags = first_match(script, R"((--appendonly yes --appendfsync [a-z]+))");
  const std::regex variable(
      R"((EVAPO_(QUEUE_URL|DATABASE_URL|PORT|WORKERS|HOST|DATA_DIR|TASK_TOKEN_KEY))=)");
  for (std::sregex_iterator it(script.begin(), script.end(), variable), end; it != end; ++it) {
    shape.variables.insert((*it)[1].str());
  }
  return shape;
}

TEST(DeployFiles, ScriptDescribesTheExpectedCluster) {
  const auto shape = cluster_shape();
  EXPECT_EQ(shape.nodes, 2);
  EXPECT_EQ(shape.workers, 3);
  EXPECT_EQ(shape.serve_command, "serve");
  EXPECT_EQ(shape.worker_command, "worker --concurrency 1");
  EXPECT_EQ(shape.variables, (std::set<std::string>{"EVAPO_QUEUE_URL", "EVAPO_DATABASE_URL",
                                                    "EVAPO_PORT", "EVAPO_WORKERS", "EVAPO_HOST",
                                                    "EVAPO_DATA_DIR", "EVAPO_TASK_TOKEN_KEY"}));
  EXPECT_NE(read("scripts/cluster").find("EVAPO_WORKERS=0"), std::string::npos);
}

TEST(DeployFiles, ComposeRunsTheSameProcessesOnTheSamePorts) {
  const auto shape = cluster_shape();
  const std::string compose = read("deploy/compose.yaml");
  EXPECT_NE(compose.find("redis-server --port " + shape.redis_port + " " + shape.redis_flags),
            std::string::npos);
  EXPECT_NE(compose.find("postgres -p " + shape.postgres_port), std::string::npos);
  EXPECT_NE(compose.find("EVAPO_QUEUE_URL: redis://redis:" + shape.redis_port), std::string::npos);
  EXPECT_NE(compose.find("@postgres:" + shape.postgres_port + "/evapo"), std::string::npos);
  EXPECT_EQ(count(compose, "command: " + shape.serve_command + "\n"), shape.nodes);
  EXPECT_EQ(count(compose, "EVAPO_WORKERS: \"0\""), shape.nodes);
  const int first = std::stoi(shape.first_serve_port);
  for (int i = 0; i < shape.nodes; ++i) {
    const std::string port = std::to_string(first + i);
    EXPECT_NE(compose.find("EVAPO_PORT: \"" + port + "\""), std::string::npos) << port;
    EXPECT_NE(compose.find("127.0.0.1:" + port + ":" + port), std::string::npos) << port;
  }
  EXPECT_EQ(count(compose, "command: " + shape.worker_command), 1);
  EXPECT_EQ(count(compose, "  worker-"), shape.workers);
  for (const char* variable :
       {"EVAPO_QUEUE_URL", "EVAPO_DATABASE_URL", "EVAPO_PORT", "EVAPO_WORKERS",
        "EVAPO_NASA_POWER_URL", "EVAPO_ELEVATION_URL", "EVAPO_TASK_TOKEN_KEY"}) {
    EXPECT_NE(compose.find(variable), std::string::npos) << variable;
  }
}

TEST(DeployFiles, SystemdUnitsRunTheSameCommands) {
  const auto shape = cluster_shape();
  const std::string serve = read("deploy/systemd/evapo-serve@.service");
  const std::string worker = read("deploy/systemd/evapo-worker@.service");
  EXPECT_NE(serve.find("ExecStart=/usr/local/bin/evapo " + shape.serve_command + "\n"),
            std::string::npos);
  EXPECT_NE(worker.find("ExecStart=/usr/local/bin/evapo " + shape.worker_command + "\n"),
            std::string::npos);
  EXPECT_NE(serve.find("EVAPO_PORT=%i"), std::string::npos);
  EXPECT_NE(serve.find("EVAPO_WORKERS=0"), std::string::npos);
  for (const auto* unit : {&serve, &worker}) {
    EXPECT_NE(unit->find("EnvironmentFile=/etc/evapo/cluster.env"), std::string::npos);
    EXPECT_NE(unit->find("EVAPO_QUEUE_URL"), std::string::npos);
    EXPECT_NE(unit->find("EVAPO_DATABASE_URL"), std::string::npos);
    EXPECT_NE(unit->find("KillSignal=SIGTERM"), std::string::npos);
    EXPECT_NE(unit->find("Restart=always"), std::string::npos);
  }
}

TEST(DeployFiles, ImageRunsEvapoWithServeByDefault) {
  const std::string dockerfile = read("deploy/Dockerfile");
  EXPECT_NE(dockerfile.find("FROM debian:12 AS build"), std::string::npos);
  EXPECT_NE(dockerfile.find("ENTRYPOINT [\"/usr/local/bin/evapo\"]"), std::string::npos);
  EXPECT_NE(dockerfile.find("CMD [\"serve\"]"), std::string::npos);
  EXPECT_NE(dockerfile.find("USER evapo"), std::string::npos) << "runs unprivileged";
  // Runtime libraries for every backend the binary links.
  for (const char* library : {"libpq5", "libhiredis0.14", "libsqlite3-0", "libcurl4"}) {
    EXPECT_NE(dockerfile.find(library), std::string::npos) << library;
  }
}

}  // namespace
}  // namespace evapo
