// The same request gives byte-identical result rows from `evapo calc`, the embedded
// `evapo serve` and the cluster (`evapo serve --workers 0` + `evapo worker`), with the same
// fusion priors file (EVAPO_FUSION_PRIORS) honoured by all three; and a second identical request
// run by another worker is served from the shared PostgreSQL weather cache.

#include <gtest/gtest.h>

#include "../server/test_client.hpp"
#include "../support/child_process.hpp"
#include "../support/postgres_server.hpp"
#include "../support/redis_server.hpp"
#include "../support/upstream_simulator.hpp"

namespace evapo::testing {
namespace {

using server::testing::http_get;
using server::testing::http_post;
using std::chrono::seconds;

const std::string kBody =
    R"({"latitude":-22.7,"longitude":-47.6,"start_date":"2023-03-01","end_date":"2023-03-31"})";

std::string evapo_binary() {
  return std::string(EVAPO_BINARY_DIR) + "/apps/evapo/evapo";
}

// Each result row as compact JSON text.
std::vector<std::string> rows(const nlohmann::json& days) {
  std::vector<std::string> out;
  for (const auto& day : days) out.push_back(day.dump());
  return out;
}

class SameResult : public ::testing::Test {
 protected:
  SameResult() : dir_(fresh_temp_dir("evapo_same_result")) {
    std::ofstream(dir_ / "priors.csv") << "context,source,variable,sd\n"
                                          "reanalysis,nasa_power,*,0.05\n"
                                          "reanalysis,open_meteo_archive,*,9\n";
  }

  std::map<std::string, std::string> environment(bool with_priors = true) const {
    std::map<std::string, std::string> env;
    for (const char* name :
         {"EVAPO_NASA_POWER_URL", "EVAPO_OPEN_METEO_ARCHIVE_URL", "EVAPO_OPEN_METEO_FORECAST_URL",
          "EVAPO_MET_NORWAY_URL", "EVAPO_NWS_URL", "EVAPO_ELEVATION_URL"}) {
      env[name] = simulator_.base_url();
    }
    if (with_priors) env["EVAPO_FUSION_PRIORS"] = (dir_ / "priors.csv").string();
    return env;
  }

  std::vector<std::string> from_cli(bool with_priors) {
    const auto out = dir_ / (with_priors ? "calc.json" : "calc_default.json");
    ChildProcess calc(
        {evapo_binary(), "calc", "--lat", "-22.7", "--lon", "-47.6", "--start", "2023-03-01",
         "--end", "2023-03-31", "--format", "json", "--no-cache", "--output", out.string()},
        dir_ / "calc.log", environment(with_priors));
    EXPECT_TRUE(calc.wait_for_exit(seconds(120)));
    EXPECT_EQ(calc.exit_code(), 0) << read_text(dir_ / "calc.log");
    return rows(nlohmann::json::parse(read_text(out)).at("days"));
  }

  // Starts `evapo serve` with `extra` settings and waits for its port.
  std::uint16_t serve(ChildProcess& process, const std::string& name,
                      std::map<std::string, std::string> extra) {
    auto env = environment();
    env["EVAPO_PORT"] = "0";
    env["EVAPO_DATA_DIR"] = (dir_ / name).string();
    env.insert(extra.begin(), extra.end());
    const auto log = dir_ / (name + ".log");
    process = ChildProcess({evapo_binary(), "serve"}, log, env);
    std::uint16_t port = 0;
    wait_until(
        [&] {
          const auto text = read_text(log);
          const auto at = text.find("listening on http://127.0.0.1:");
          if (at != std::string::npos)
            port = static_cast<std::uint16_t>(std::stoi(text.substr(at + 30)));
          return port != 0 || !process.running();
        },
        seconds(60));
    EXPECT_NE(port, 0) << read_text(log);
    return port;
  }

  ChildProcess worker(const std::string& name, const std::map<std::string, std::string>& backends) {
    auto env = environment();
    env.insert(backends.begin(), backends.end());
    env["EVAPO_DATA_DIR"] = (dir_ / name).string();
    const auto log = dir_ / (name + ".log");
    ChildProcess process({evapo_binary(), "worker", "--concurrency", "1"}, log, env);
    EXPECT_TRUE(wait_until(
        [&] { return read_text(log).find("evapo worker:") != std::string::npos; }, seconds(60)))
        << read_text(log);
    return process;
  }

  std::vector<std::string> from_server(std::uint16_t port) {
    const auto posted = http_post(port, "/api/v1/eto/calculations", kBody);
    EXPECT_EQ(posted.status, 202U) << posted.body;
    const std::string id = posted.json().value("task_id", std::string());
    nlohmann::json record;
    EXPECT_TRUE(wait_until(
        [&] {
          record = http_get(port, "/api/v1/tasks/" + id).json();
          const std::string status = record.value("status", "");
          return status != "queued" && status != "processing";
        },
        seconds(120)));
    EXPECT_EQ(record.value("status", ""), "success") << record.dump();
    return rows(record["result"]["results"]);
  }

  UpstreamSimulator simulator_;
  std::filesystem::path dir_;
};

TEST_F(SameResult, CliEmbeddedServerAndClusterGiveIdenticalRowsWithThePriorsFile) {
  const auto cli = from_cli(true);
  ASSERT_EQ(cli.size(), 31U);
  ASSERT_NE(from_cli(false), cli) << "the priors file changes nothing: the test could not fail";

  ChildProcess embedded;
  const auto embedded_port = serve(embedded, "embedded", {{"EVAPO_WORKERS", "1"}});
  EXPECT_EQ(from_server(embedded_port), cli) << "embedded server";

  RedisServer redis;
  PostgresServer postgres;
  const std::map<std::string, std::string> backends = {{"EVAPO_QUEUE_URL", redis.url()},
                                                       {"EVAPO_DATABASE_URL", postgres.url()}};
  auto node_settings = backends;
  node_settings["EVAPO_WORKERS"] = "0";
  ChildProcess node;
  const auto node_port = serve(node, "node", node_settings);
  {
    auto first = worker("worker1", backends);
    EXPECT_EQ(from_server(node_port), cli) << "cluster";
    first.kill_and_wait(SIGTERM);
  }
  // Another worker, the same request: every day comes from the shared cache.
  const auto requests_before = simulator_.stats()["requests"];
  auto second = worker("worker2", backends);
  EXPECT_EQ(from_server(node_port), cli) << "cluster, second worker";
  EXPECT_EQ(simulator_.stats()["requests"], requests_before) << "the second run called upstream";
}

}  // namespace
}  // namespace evapo::testing
