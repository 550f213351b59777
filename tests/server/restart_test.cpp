// kill -9 of the server process mid-task, then a restart on the same data dir: the task is run
// again and completes, and its event log stays one continuous sequence with one terminal event.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

class HostProcess {
 public:
  HostProcess(const std::filesystem::path& data_dir, int step_delay_ms) {
    const std::string log = (data_dir / ("host_" + std::to_string(++starts_) + ".log")).string();
    const std::string binary = std::string(EVAPO_BINARY_DIR) + "/tests/server/evapo_server_test_host";
    const std::string delay = std::to_string(step_delay_ms);
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      execl(binary.c_str(), binary.c_str(), data_dir.c_str(), delay.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::ifstream in(log);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::smatch match;
      if (std::regex_search(text, match, listening)) port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~HostProcess() { kill_now(SIGKILL); }

  void kill_now(int signal_number) {
    if (pid_ <= 0) return;
    kill(pid_, signal_number);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::uint16_t port() const { return port_; }

 private:
  static inline int starts_ = 0;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

TEST(ServerRestart, KillDashNineMidTaskThenRestartCompletesTheTaskWithAContinuousLog) {
  const auto dir = temp_dir("restart");
  std::string id;
  std::int64_t last_seen = 0;
  {
    HostProcess first(dir, 400);
    ASSERT_NE(first.port(), 0) << "host did not start";
    const auto posted = http_post(first.port(), "/api/v1/eto/calculations", RunningServer::kValidBody);
    ASSERT_EQ(posted.status, 202U);
    id = posted.json().at("task_id");
    WsClient ws(first.port(), "/ws/task_status/" + id);
    for (int i = 0; i < 2; ++i) {
      auto event = ws.next();
      ASSERT_TRUE(event);
      EXPECT_EQ(event->at("type"), "PROGRESS");
      last_seen = event->at("seq");
    }
    first.kill_now(SIGKILL);
  }
  HostProcess second(dir, 10);
  ASSERT_NE(second.port(), 0) << "host did not restart";
  WsClient resumed(second.port(), "/ws/task_status/" + id + "?since=" + std::to_string(last_seen));
  const auto rest = resumed.read_all(std::chrono::seconds(20));
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.front().at("seq"), last_seen + 1);
  EXPECT_EQ(rest.back().at("type"), "SUCCESS");
  EXPECT_EQ(resumed.close_code(), 1000);

  // The whole stored log: 1..N, no gap, exactly one terminal event (the last).
  WsClient everything(second.port(), "/ws/task_status/" + id);
  const auto log = everything.read_all();
  std::vector<std::int64_t> expected;
  for (std::size_t i = 1; i <= log.size(); ++i) expected.push_back(static_cast<std::int64_t>(i));
  EXPECT_EQ(seqs(log), expected);
  int terminal = 0;
  for (const auto& event : log) terminal += event.at("type") != "PROGRESS" ? 1 : 0;
  EXPECT_EQ(terminal, 1);
  const auto record = http_get(second.port(), "/api/v1/tasks/" + id).json();
  EXPECT_EQ(record.at("status"), "success");
  EXPECT_GE(record.at("attempts").get<int>(), 2);
  std::filesystem::remove_all(dir);
}

TEST(ServerRestart, SigtermStopsGracefully) {
  const auto dir = temp_dir("sigterm");
  HostProcess host(dir, 0);
  ASSERT_NE(host.port(), 0);
  EXPECT_EQ(http_get(host.port(), "/readyz").status, 200U);
  host.kill_now(SIGTERM);  // waits for the exit; a hang would time the test out
  EXPECT_EQ(http_get(host.port(), "/healthz").status, 0U);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::server::testing
