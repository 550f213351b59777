#pragma once

// tests/server/test_server_host.cpp run as a separate process, so that a test can signal it
// (SIGKILL mid-task, SIGTERM for a graceful stop) and restart it on the same data dir.

#include <chrono>
#include <cstdint>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <signal.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace evapo::server::testing {

class HostProcess {
 public:
  /// Starts the host on port 0 over `data_dir`, the fake taking `step_delay_ms` per step, and
  /// waits (up to 60 s) for its "listening on" line; port() stays 0 if it never came.
  /// `shutdown_grace_s`: how long a SIGTERM lets running tasks finish (the host's default: 0).
  HostProcess(const std::filesystem::path& data_dir, int step_delay_ms,
              std::optional<int> shutdown_grace_s = std::nullopt) {
    const std::string log = (data_dir / ("host_" + std::to_string(++starts_) + ".log")).string();
    const std::string binary =
        std::string(EVAPO_BINARY_DIR) + "/tests/server/evapo_server_test_host";
    const std::string delay = std::to_string(step_delay_ms);
    const std::string grace = shutdown_grace_s ? std::to_string(*shutdown_grace_s) : std::string();
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      if (shutdown_grace_s) {
        execl(binary.c_str(), binary.c_str(), data_dir.c_str(), delay.c_str(), grace.c_str(),
              static_cast<char*>(nullptr));
      } else {
        execl(binary.c_str(), binary.c_str(), data_dir.c_str(), delay.c_str(),
              static_cast<char*>(nullptr));
      }
      _exit(127);
    }
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (port_ == 0 && std::chrono::steady_clock::now() < give_up && running()) {
      std::ifstream in(log);
      const std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      std::smatch match;
      if (std::regex_search(text, match, listening))
        port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~HostProcess() { kill_now(SIGKILL); }
  HostProcess(const HostProcess&) = delete;
  HostProcess& operator=(const HostProcess&) = delete;

  /// Sends the signal and waits for the process to end (unbounded: a hang times the test out).
  void kill_now(int signal_number) {
    if (pid_ <= 0) return;
    kill(pid_, signal_number);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  /// Sends the signal without waiting.
  void send(int signal_number) {
    if (pid_ > 0) kill(pid_, signal_number);
  }

  /// True once the process has ended (reaping it); polls for at most `timeout`.
  bool wait_for_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = status;
        pid_ = -1;
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  /// True while the process has not ended.
  bool running() { return !wait_for_exit(std::chrono::milliseconds(0)); }

  /// The exit code of a process that ended by returning from main (-1 otherwise).
  int exit_code() const {
    return exit_status_ && WIFEXITED(*exit_status_) ? WEXITSTATUS(*exit_status_) : -1;
  }

  std::uint16_t port() const { return port_; }

 private:
  static inline int starts_ = 0;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::optional<int> exit_status_;
};

}  // namespace evapo::server::testing
