#pragma once

// Test helper (header-only): one child process started from an argv, its output to a log file,
// optionally as another (unprivileged) user, with extra environment; kill / wait by pid.

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <grp.h>
#include <pwd.h>

namespace evapo::testing {

/// A loopback TCP port free right now (bound to port 0, read back, closed).
inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

/// The user that servers refusing root (PostgreSQL) run as when the tests run as root.
struct Account {
  uid_t uid = 0;
  gid_t gid = 0;
};

/// nullopt when not root; else the "postgres" account when it exists, "nobody" otherwise.
inline std::optional<Account> unprivileged_account() {
  if (::geteuid() != 0) return std::nullopt;
  for (const char* name : {"postgres", "nobody"}) {
    if (const passwd* entry = ::getpwnam(name)) return Account{entry->pw_uid, entry->pw_gid};
  }
  throw std::runtime_error("running as root and no unprivileged account (postgres, nobody)");
}

/// Gives `path` (recursively) to the account, so that a server running as it may write there.
inline void give_to(const std::filesystem::path& path, const std::optional<Account>& account) {
  if (!account) return;
  if (::chown(path.c_str(), account->uid, account->gid) != 0) {
    throw std::runtime_error("chown failed on " + path.string());
  }
  if (!std::filesystem::is_directory(path)) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
    (void)::lchown(entry.path().c_str(), account->uid, account->gid);
  }
}

class ChildProcess {
 public:
  ChildProcess() = default;
  /// Starts argv[0] (a path) with `environment` added, stdout and stderr appended to `log`.
  ChildProcess(std::vector<std::string> argv, const std::filesystem::path& log,
               std::map<std::string, std::string> environment = {},
               std::optional<Account> account = std::nullopt) {
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      if (account) {
        ::setgroups(0, nullptr);
        if (::setgid(account->gid) != 0 || ::setuid(account->uid) != 0) ::_exit(126);
      }
      for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
      std::vector<char*> args;
      for (auto& arg : argv) args.push_back(arg.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_), status_(other.status_) {
    other.pid_ = -1;
  }
  ChildProcess& operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
      kill_and_wait(SIGKILL);
      pid_ = other.pid_;
      status_ = other.status_;
      other.pid_ = -1;
    }
    return *this;
  }
  ~ChildProcess() { kill_and_wait(SIGKILL); }

  pid_t pid() const { return pid_; }

  void signal(int number) {
    if (pid_ > 0) ::kill(pid_, number);
  }

  /// Sends the signal and reaps the process (unbounded: a hang times the test out).
  void kill_and_wait(int number) {
    if (pid_ <= 0) return;
    ::kill(pid_, number);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    status_ = status;
    pid_ = -1;
  }

  /// True once the process has ended (reaping it), polling up to `timeout`.
  bool wait_for_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = status;
        pid_ = -1;
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  bool running() { return !wait_for_exit(std::chrono::milliseconds(0)); }

  /// Exit code of a process that returned from main, -1 otherwise.
  int exit_code() const { return status_ && WIFEXITED(*status_) ? WEXITSTATUS(*status_) : -1; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// Polls `done` every 20 ms until it holds or `timeout` passes; returns whether it held.
template <class Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

/// The whole text of a file ("" when missing).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A fresh directory under the system temp dir, named after `prefix`.
inline std::filesystem::path fresh_temp_dir(const std::string& prefix) {
  static int counter = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   (prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace evapo::testing
