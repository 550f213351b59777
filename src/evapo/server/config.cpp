#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <evapo/domain/read_file.hpp>
#include <evapo/server/config.hpp>

extern char** environ;

namespace evapo::server {
namespace {

using domain::Error;
using domain::Expected;
using nlohmann::json;

// A value as it arrives: text from the environment or a flag, or a JSON value from the file.
using Setter = std::function<Expected<void>(ServerConfig&, const json&)>;

struct Key {
  std::string name;
  Setter set;
};

Error bad_value(const std::string& key, const std::string& reason) {
  return Error::invalid_argument("invalid value for '" + key + "': " + reason, {{key, reason}});
}

Expected<json> text_to_json(const std::string& key, const std::string& text, bool is_string) {
  if (is_string) return json(text);
  // Numbers are given as text in the environment and on the command line.
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_number()) {
    return domain::fail(bad_value(key, "expected a number, got '" + text + "'"));
  }
  return parsed;
}

template <class T>
Setter integer_setter(T ServerConfig::*member, long long min_value, long long max_value,
                      const std::string& key) {
  return [member, min_value, max_value, key](ServerConfig& config,
                                             const json& value) -> Expected<void> {
    if (!value.is_number_integer() && !value.is_number_unsigned()) {
      return domain::fail(bad_value(key, "expected an integer"));
    }
    const long long v = value.get<long long>();
    if (v < min_value || v > max_value) {
      return domain::fail(bad_value(key, "must be in [" + std::to_string(min_value) + ", " +
                                             std::to_string(max_value) + "]"));
    }
    config.*member = static_cast<T>(v);
    return {};
  };
}

Setter double_setter(double ServerConfig::*member, double min_value, const std::string& key) {
  return [member, min_value, key](ServerConfig& config, const json& value) -> Expected<void> {
    if (!value.is_number()) return domain::fail(bad_value(key, "expected a number"));
    const double v = value.get<double>();
    if (!std::isfinite(v) || v < min_value) {
      return domain::fail(bad_value(key, "must be a number >= " + std::to_string(min_value)));
    }
    config.*member = v;
    return {};
  };
}

Setter string_setter(std::string ServerConfig::*member, const std::string& key) {
  return [member, key](ServerConfig& config, const json& value) -> Expected<void> {
    if (!value.is_string()) return domain::fail(bad_value(key, "expected a string"));
    config.*member = value.get<std::string>();
    return {};
  };
}

Setter bool_setter(bool ServerConfig::*member, const std::string& key) {
  return [member, key](ServerConfig& config, const json& value) -> Expected<void> {
    if (value.is_boolean()) {
      config.*member = value.get<bool>();
    } else if (value.is_string() && (value == "true" || value == "on" || value == "1")) {
      config.*member = true;
    } else if (value.is_string() && (value == "false" || value == "off" || value == "0")) {
      config.*member = false;
    } else {
      return domain::fail(bad_value(key, "expected true or false"));
    }
    return {};
  };
}

Setter choice_setter(std::string ServerConfig::*member, const std::vector<std::string>& choices,
                     const std::string& key) {
  return [member, choices, key](ServerConfig& config, const json& value) -> Expected<void> {
    if (value.is_string()) {
      for (const auto& choice : choices) {
        if (value == choice) {
          config.*member = choice;
          return {};
        }
      }
    }
    std::string list;
    for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + choice;
    return domain::fail(bad_value(key, "must be one of " + list));
  };
}

// A secret: short ones are guessable, so they are refused rather than silently weak. The value
// is never echoed in a message.
Setter secret_setter(std::string ServerConfig::*member, const std::string& key) {
  return [member, key](ServerConfig& config, const json& value) -> Expected<void> {
    if (!value.is_string()) return domain::fail(bad_value(key, "expected a string"));
    const auto text = value.get<std::string>();
    constexpr std::size_t kMinSecretBytes = 16;
    if (!text.empty() && text.size() < kMinSecretBytes) {
      return domain::fail(bad_value(key, "must be at least 16 characters"));
    }
    config.*member = text;
    return {};
  };
}

// "https://a.example, http://localhost:5173": each an origin (scheme://host[:port], no path).
Setter origins_setter() {
  return [](ServerConfig& config, const json& value) -> Expected<void> {
    if (!value.is_string()) return domain::fail(bad_value("allowed_origins", "expected a string"));
    const auto text = value.get<std::string>();
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto comma = std::min(text.find(',', start), text.size());
      std::string origin = text.substr(start, comma - start);
      while (!origin.empty() && origin.front() == ' ') origin.erase(origin.begin());
      while (!origin.empty() && origin.back() == ' ') origin.pop_back();
      if (!origin.empty()) {
        const auto scheme_end = origin.find("://");
        const bool web_scheme = origin.starts_with("http://") || origin.starts_with("https://");
        if (!web_scheme || origin.find('/', scheme_end + 3) != std::string::npos ||
            scheme_end + 3 == origin.size()) {
          return domain::fail(bad_value(
              "allowed_origins", "'" + origin + "' is not an origin like https://host:port"));
        }
      }
      start = comma + 1;
    }
    config.allowed_origins = text;
    return {};
  };
}

const std::vector<Key>& keys() {
  constexpr long long kIntMax = std::numeric_limits<int>::max();
  static const std::vector<Key> kKeys = {
      {"host", string_setter(&ServerConfig::host, "host")},
      {"port", integer_setter(&ServerConfig::port, 0, 65535, "port")},
      {"data_dir", string_setter(&ServerConfig::data_dir, "data_dir")},
      {"web_root", string_setter(&ServerConfig::web_root, "web_root")},
      {"database_url", string_setter(&ServerConfig::database_url, "database_url")},
      {"queue_url", string_setter(&ServerConfig::queue_url, "queue_url")},
      {"workers", integer_setter(&ServerConfig::workers, -1, 1024, "workers")},
      {"io_threads", integer_setter(&ServerConfig::io_threads, 1, 256, "io_threads")},
      {"blocking_threads",
       integer_setter(&ServerConfig::blocking_threads, 1, 256, "blocking_threads")},
      {"body_limit_bytes",
       integer_setter(&ServerConfig::body_limit_bytes, 1, 1LL << 30, "body_limit_bytes")},
      {"rate_limit_per_s", double_setter(&ServerConfig::rate_limit_per_s, 0.0, "rate_limit_per_s")},
      {"rate_limit_burst", double_setter(&ServerConfig::rate_limit_burst, 1.0, "rate_limit_burst")},
      {"max_queued_tasks",
       integer_setter(&ServerConfig::max_queued_tasks, 1, 10'000'000, "max_queued_tasks")},
      {"task_timeout_s",
       integer_setter(&ServerConfig::task_timeout_s, 1, kIntMax, "task_timeout_s")},
      {"task_lease_s", integer_setter(&ServerConfig::task_lease_s, 1, 3600, "task_lease_s")},
      {"ws_ping_interval_s",
       integer_setter(&ServerConfig::ws_ping_interval_s, 1, 3600, "ws_ping_interval_s")},
      {"ws_close_grace_s",
       integer_setter(&ServerConfig::ws_close_grace_s, 1, 3600, "ws_close_grace_s")},
      {"ws_send_queue_max_messages", integer_setter(&ServerConfig::ws_send_queue_max_messages, 1,
                                                    1 << 20, "ws_send_queue_max_messages")},
      {"ws_send_queue_max_bytes", integer_setter(&ServerConfig::ws_send_queue_max_bytes, 1024,
                                                 1LL << 32, "ws_send_queue_max_bytes")},
      {"shutdown_grace_s",
       integer_setter(&ServerConfig::shutdown_grace_s, 0, 3600, "shutdown_grace_s")},
      {"max_connections",
       integer_setter(&ServerConfig::max_connections, 1, 10'000'000, "max_connections")},
      {"admin_token", secret_setter(&ServerConfig::admin_token, "admin_token")},
      {"upload_limit_bytes",
       integer_setter(&ServerConfig::upload_limit_bytes, 1, 1LL << 34, "upload_limit_bytes")},
      {"workspace_store_url",
       string_setter(&ServerConfig::workspace_store_url, "workspace_store_url")},
      {"site_scheduler_period_s",
       integer_setter(&ServerConfig::site_scheduler_period_s, 0, 86400, "site_scheduler_period_s")},
      {"allowed_origins", origins_setter()},
      {"cors", bool_setter(&ServerConfig::cors, "cors")},
      {"metrics_access",
       choice_setter(&ServerConfig::metrics_access, {"loopback", "any"}, "metrics_access")},
      {"metrics_token", secret_setter(&ServerConfig::metrics_token, "metrics_token")},
      {"task_token_key", secret_setter(&ServerConfig::task_token_key, "task_token_key")},
  };
  return kKeys;
}

const Key* find_key(std::string_view name) {
  for (const auto& key : keys()) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

bool is_string_key(std::string_view name) {
  for (std::string_view key : {"host", "data_dir", "web_root", "database_url", "queue_url",
                               "admin_token", "allowed_origins", "cors", "metrics_access",
                               "metrics_token", "task_token_key", "workspace_store_url"}) {
    if (name == key) return true;
  }
  return false;
}

std::string env_name(const std::string& key) {
  std::string name = "EVAPO_";
  for (char c : key) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

Expected<void> apply_text(ServerConfig& config, const Key& key, const std::string& text) {
  auto value = text_to_json(key.name, text, is_string_key(key.name));
  if (!value) return domain::fail(value.error());
  return key.set(config, *value);
}

Expected<void> apply_file(ServerConfig& config, const std::string& path) {
  const auto text = domain::read_file(path);
  if (!text)
    return domain::fail(Error{text.error().code, "config file: " + text.error().message, {}});
  json document = json::parse(*text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return domain::fail(Error::invalid_argument("config file '" + path + "' is not a JSON object"));
  }
  for (const auto& [name, value] : document.items()) {
    const Key* key = find_key(name);
    if (key == nullptr) {
      return domain::fail(
          Error::invalid_argument(fmt::format("unknown key '{}' in config file '{}'", name, path),
                                  {{name, "unknown key"}}));
    }
    if (auto applied = key->set(config, value); !applied) return applied;
  }
  return {};
}

}  // namespace

Expected<ServerConfig> resolve_config(const ConfigSources& sources) {
  ServerConfig config;
  if (sources.file_path) {
    if (auto applied = apply_file(config, *sources.file_path); !applied) {
      return domain::fail(applied.error());
    }
  }
  // Only the variables naming our keys: other layers read their own EVAPO_* variables.
  for (const auto& key : keys()) {
    auto found = sources.environment.find(env_name(key.name));
    if (found == sources.environment.end()) continue;
    if (auto applied = apply_text(config, key, found->second); !applied) {
      return domain::fail(applied.error());
    }
  }
  for (const auto& [name, text] : sources.flags) {
    const Key* key = find_key(name);
    if (key == nullptr) {
      return domain::fail(
          Error::invalid_argument("unknown option '" + name + "'", {{name, "unknown key"}}));
    }
    if (auto applied = apply_text(config, *key, text); !applied)
      return domain::fail(applied.error());
  }
  return config;
}

std::vector<std::string> config_environment_names() {
  std::vector<std::string> names;
  for (const auto& key : keys()) names.push_back(env_name(key.name));
  return names;
}

std::map<std::string, std::string> evapo_environment() {
  std::map<std::string, std::string> result;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (text.substr(0, 6) != "EVAPO_") continue;
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    result.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return result;
}

}  // namespace evapo::server
