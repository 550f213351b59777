#include <charconv>
#include <sys/time.h>
#include <thread>

#include <hiredis/hiredis.h>

#include <evapo/tasks/redis_client.hpp>

namespace evapo::tasks {

using domain::Error;
using domain::Expected;
using domain::fail;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

// A reply to an error is marked so that is_redis_error can tell it from other failures.
constexpr std::string_view kReplyMarker = "redis: ";

timeval to_timeval(milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

RedisReply copy(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::string;
      out.string.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::status;
      out.string.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::integer;
      out.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::array;
      out.elements.reserve(reply->elements);
      for (std::size_t i = 0; i < reply->elements; ++i)
        out.elements.push_back(copy(reply->element[i]));
      break;
    default:
      out.type = RedisReply::Type::nil;
  }
  return out;
}

bool parse_int(std::string_view text, int& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Expected<RedisEndpoint> parse_redis_url(const std::string& url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) {
    return fail(Error::invalid_argument("expected redis://[[user]:password@]host[:port][/db]"));
  }
  RedisEndpoint endpoint;
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    if (const auto colon = credentials.find(':'); colon != std::string_view::npos) {
      endpoint.user = std::string(credentials.substr(0, colon));
      endpoint.password = std::string(credentials.substr(colon + 1));
    } else {
      endpoint.password = std::string(credentials);
    }
  }
  std::string_view authority = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!parse_int(db, endpoint.db) || endpoint.db < 0)) {
      return fail(Error::invalid_argument("the database after '/' must be a number"));
    }
  }
  if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    if (!parse_int(authority.substr(colon + 1), endpoint.port) || endpoint.port <= 0 ||
        endpoint.port > 65535) {
      return fail(Error::invalid_argument("the port must be a number in 1..65535"));
    }
    authority = authority.substr(0, colon);
  }
  if (!authority.empty()) endpoint.host = std::string(authority);
  return endpoint;
}

bool is_redis_error(const Error& error, std::string_view prefix) {
  return std::string_view(error.message)
      .starts_with(std::string(kReplyMarker) + std::string(prefix));
}

Expected<std::unique_ptr<RedisConnection>> RedisConnection::connect(const RedisEndpoint& endpoint,
                                                                    milliseconds timeout) {
  const std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
  redisContext* context =
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(timeout));
  if (context == nullptr) return fail(Error::unavailable("cannot connect to Redis at " + where));
  if (context->err != 0) {
    Error error =
        Error::unavailable("cannot connect to Redis at " + where + ": " + context->errstr);
    redisFree(context);
    return fail(std::move(error));
  }
  auto connection = std::unique_ptr<RedisConnection>(new RedisConnection(context));
  const auto setup = [&](std::span<const std::string_view> args) -> Expected<void> {
    auto reply = connection->command(args, timeout);
    if (!reply) {
      std::string reason = reply.error().message;
      if (reason.starts_with(kReplyMarker)) reason = reason.substr(kReplyMarker.size());
      return fail(Error::unavailable("Redis at " + where + " refused " + std::string(args[0]) +
                                     ": " + reason));
    }
    return {};
  };
  if (!endpoint.password.empty()) {
    std::vector<std::string_view> auth = {"AUTH"};
    if (!endpoint.user.empty()) auth.push_back(endpoint.user);
    auth.push_back(endpoint.password);
    if (auto ok = setup(auth); !ok) return fail(ok.error());
  }
  if (endpoint.db != 0) {
    const std::string db = std::to_string(endpoint.db);
    const std::string_view select[] = {"SELECT", db};
    if (auto ok = setup(select); !ok) return fail(ok.error());
  }
  // A cheap check that this is a Redis that answers (and that AUTH was not required).
  const std::string_view ping[] = {"PING"};
  if (auto ok = setup(ping); !ok) return fail(ok.error());
  return connection;
}

RedisConnection::~RedisConnection() {
  redisFree(context_);
}

Expected<RedisReply> RedisConnection::command(std::span<const std::string_view> args,
                                              milliseconds read_timeout) {
  if (read_timeout != timeout_) {
    redisSetTimeout(context_, to_timeval(read_timeout));
    timeout_ = read_timeout;
  }
  std::vector<const char*> argv(args.size());
  std::vector<std::size_t> lengths(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    argv[i] = args[i].data();
    lengths[i] = args[i].size();
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(), lengths.data()));
  if (reply == nullptr) {
    broken_ = true;
    return fail(Error::unavailable(std::string("Redis connection lost: ") + context_->errstr));
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    Error error = Error::internal(std::string(kReplyMarker) + std::string(reply->str, reply->len));
    freeReplyObject(reply);
    return fail(std::move(error));
  }
  RedisReply out = copy(reply);
  freeReplyObject(reply);
  return out;
}

Expected<std::shared_ptr<RedisClient>> RedisClient::open(const RedisEndpoint& endpoint,
                                                         RedisClientOptions options) {
  auto client = std::shared_ptr<RedisClient>(new RedisClient(endpoint, options));
  auto first = RedisConnection::connect(endpoint, options.timeout);
  if (!first) return fail(first.error());
  client->release(std::move(*first));
  return client;
}

Expected<std::unique_ptr<RedisConnection>> RedisClient::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return RedisConnection::connect(endpoint_, options_.timeout);
}

void RedisClient::release(std::unique_ptr<RedisConnection> connection) {
  if (connection->broken()) return;
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

Expected<RedisReply> RedisClient::run(std::span<const std::string_view> args,
                                      milliseconds read_timeout) {
  const auto give_up = steady_clock::now() + options_.retry_budget;
  milliseconds backoff{25};
  while (true) {
    auto connection = acquire();
    Expected<RedisReply> reply = connection ? (*connection)->command(args, read_timeout)
                                            : Expected<RedisReply>(fail(connection.error()));
    const bool lost = !connection || (*connection)->broken();
    if (connection) release(std::move(*connection));
    if (!lost) return reply;
    if (steady_clock::now() + backoff >= give_up) return reply;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, milliseconds{400});
  }
}

Expected<RedisReply> RedisClient::command(std::initializer_list<std::string_view> args) {
  return run(std::span<const std::string_view>(args.begin(), args.size()), options_.timeout);
}

Expected<RedisReply> RedisClient::command(std::span<const std::string_view> args) {
  return run(args, options_.timeout);
}

Expected<RedisReply> RedisClient::blocking(std::span<const std::string_view> args,
                                           milliseconds block) {
  return run(args, block + options_.timeout);
}

Expected<RedisReply> RedisClient::eval(const RedisScript& script,
                                       std::span<const std::string_view> keys,
                                       std::span<const std::string_view> args) {
  const std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.push_back("EVAL");
  argv.push_back(script.source);
  argv.push_back(key_count);
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, options_.timeout);
}

}  // namespace evapo::tasks
