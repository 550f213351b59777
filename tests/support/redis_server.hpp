#pragma once

// Test helper (header-only): a real redis-server (Debian's, from PATH or /usr/bin) on a free
// loopback port in its own temporary directory, append-only file on (appendfsync everysec),
// killed with SIGKILL and restarted on the same port and data by the failure tests.

#include <filesystem>
#include <stdexcept>
#include <string>

#include <hiredis/hiredis.h>

#include "child_process.hpp"

namespace evapo::testing {

class RedisServer {
 public:
  RedisServer() : dir_(fresh_temp_dir("evapo_redis")), port_(free_port()) { start(); }
  ~RedisServer() {
    process_.kill_and_wait(SIGKILL);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  std::uint16_t port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }

  /// Starts it (again) on the same port and data directory; waits until it answers PING.
  void start() {
    const std::string binary = find_binary();
    process_ =
        ChildProcess({binary, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
                      dir_.string(), "--appendonly", "yes", "--appendfsync", "everysec", "--save",
                      "", "--protected-mode", "no", "--daemonize", "no"},
                     dir_ / "redis.log");
    if (!wait_until([&] { return answers(); }, std::chrono::seconds(30))) {
      throw std::runtime_error("redis-server did not start: " + read_text(dir_ / "redis.log"));
    }
  }

  /// SIGKILL, as a crash.
  void kill9() { process_.kill_and_wait(SIGKILL); }

  /// True when a PING is answered.
  bool answers() const {
    timeval timeout{1, 0};
    redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, timeout);
    if (context == nullptr) return false;
    bool ok = false;
    if (context->err == 0) {
      auto* reply = static_cast<redisReply*>(redisCommand(context, "PING"));
      ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS;
      if (reply != nullptr) freeReplyObject(reply);
    }
    redisFree(context);
    return ok;
  }

  /// Runs one command (test set-up and inspection); the reply's integer or string.
  std::string command(const std::string& text) const {
    timeval timeout{5, 0};
    redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, timeout);
    std::string out;
    if (context != nullptr && context->err == 0) {
      auto* reply = static_cast<redisReply*>(redisCommand(context, text.c_str()));
      if (reply != nullptr) {
        if (reply->type == REDIS_REPLY_INTEGER) out = std::to_string(reply->integer);
        if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS ||
            reply->type == REDIS_REPLY_ERROR) {
          out.assign(reply->str, reply->len);
        }
        freeReplyObject(reply);
      }
    }
    if (context != nullptr) redisFree(context);
    return out;
  }

  static std::string find_binary() {
    for (const char* candidate : {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
      if (std::filesystem::exists(candidate)) return candidate;
    }
    throw std::runtime_error("redis-server not found: run scripts/setup.sh (Debian redis-server)");
  }

 private:
  std::filesystem::path dir_;
  std::uint16_t port_;
  ChildProcess process_;
};

}  // namespace evapo::testing
