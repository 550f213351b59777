#pragma once

// A pool of hiredis connections to one Redis server, with reconnection: a command that finds
// the server gone is retried on a new connection with backoff (25 ms doubling to 400 ms) until
// its budget runs out, then answers unavailable. Every command this program sends is safe to
// repeat (scripts check what they change), so a retry after a lost reply does no harm.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>

struct redisContext;

namespace evapo::tasks {

/// Where a redis:// URL points: redis://[[user]:password@]host[:port][/db].
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string user;
  std::string password;
};

/// Parses the URL. Errors: invalid_argument for another scheme or a malformed port or db.
domain::Expected<RedisEndpoint> parse_redis_url(const std::string& url);

/// A reply, copied out of hiredis.
struct RedisReply {
  enum class Type { nil, string, integer, array, status };
  Type type = Type::nil;
  long long integer = 0;
  std::string string;  // string and status replies
  std::vector<RedisReply> elements;

  bool is_nil() const { return type == Type::nil; }
};

/// A Lua script run with EVAL (Redis caches the compiled script by its digest).
struct RedisScript {
  std::string_view source;
};

/// One connection; not thread-safe (the pool lends it to one thread at a time).
class RedisConnection {
 public:
  /// Connects, authenticates and selects the database. Errors: unavailable (refused, timeout,
  /// bad credentials) with the server's reason.
  static domain::Expected<std::unique_ptr<RedisConnection>> connect(
      const RedisEndpoint& endpoint, std::chrono::milliseconds timeout);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends one command. An error reply is internal("<the error text>"); a lost connection is
  /// unavailable and marks the connection broken. `read_timeout` bounds the wait for the reply
  /// (a blocking command needs its block time plus a margin).
  domain::Expected<RedisReply> command(std::span<const std::string_view> args,
                                       std::chrono::milliseconds read_timeout);

  bool broken() const { return broken_; }

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}
  redisContext* context_;
  bool broken_ = false;
  std::chrono::milliseconds timeout_{0};
};

struct RedisClientOptions {
  /// How long a command keeps trying to reach the server before answering unavailable.
  std::chrono::milliseconds retry_budget{std::chrono::seconds(1)};
  /// Connect timeout and the read timeout of ordinary commands.
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};
};

class RedisClient {
 public:
  /// Connects once to check the endpoint. Errors: unavailable.
  static domain::Expected<std::shared_ptr<RedisClient>> open(const RedisEndpoint& endpoint,
                                                             RedisClientOptions options = {});

  /// Runs a command, retrying on a lost connection within the budget. Error replies are
  /// internal errors carrying Redis's text ("NOGROUP ...", "BUSYGROUP ...").
  domain::Expected<RedisReply> command(std::initializer_list<std::string_view> args);
  domain::Expected<RedisReply> command(std::span<const std::string_view> args);

  /// A command that blocks on the server up to `block` (XREADGROUP / XREAD BLOCK): the reply
  /// is awaited that long plus a margin.
  domain::Expected<RedisReply> blocking(std::span<const std::string_view> args,
                                        std::chrono::milliseconds block);

  /// EVAL of the script with its keys and arguments.
  domain::Expected<RedisReply> eval(const RedisScript& script,
                                    std::span<const std::string_view> keys,
                                    std::span<const std::string_view> args);

  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  RedisClient(RedisEndpoint endpoint, RedisClientOptions options)
      : endpoint_(std::move(endpoint)), options_(options) {}
  domain::Expected<RedisReply> run(std::span<const std::string_view> args,
                                   std::chrono::milliseconds read_timeout);
  domain::Expected<std::unique_ptr<RedisConnection>> acquire();
  void release(std::unique_ptr<RedisConnection> connection);

  RedisEndpoint endpoint_;
  RedisClientOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
};

/// True when the error is Redis's reply starting with `prefix` ("NOGROUP", "BUSYGROUP").
bool is_redis_error(const domain::Error& error, std::string_view prefix);

}  // namespace evapo::tasks
