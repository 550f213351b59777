#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <evapo/domain/error.hpp>

namespace evapo::server {

/// Everything `evapo serve` can be told. Defaults are the embedded single-process setup.
struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;      // 0: any free port (tests)
  std::string data_dir = "data";  // SQLite database and WAL live here
  std::string web_root;           // built web UI (web/dist); empty: no static files
  /// Task records, event logs and the weather cache: sqlite://PATH or postgresql://...
  /// (EVAPO_DATABASE_URL); empty: sqlite://<data_dir>/evapo.sqlite3 (cache in <data_dir>).
  std::string database_url;
  /// The task queue and live events: redis://HOST:PORT[/DB] (EVAPO_QUEUE_URL); empty: the
  /// SQLite database's own queue.
  std::string queue_url;
  int workers = -1;          // calculation workers; -1: one per core; 0: none (an API-only node)
  int io_threads = 2;        // threads running the network event loop
  int blocking_threads = 2;  // threads answering requests that read the task store
  std::size_t body_limit_bytes = 64 * std::size_t{1024};
  double rate_limit_per_s = 20.0;  // per client address; 0 disables the limiter
  double rate_limit_burst = 40.0;  // bucket size
  int task_timeout_s = 1800;       // deadline of a calculation (TIMEOUT event after it)
  int max_queued_tasks = 1000;     // tasks waiting for a worker; beyond it POST answers 503
  int task_lease_s = 30;           // a worker silent this long loses its task to another
  int ws_ping_interval_s = 20;     // a peer silent for two intervals is dropped
  int ws_close_grace_s = 5;        // how long a closing peer has to take the close frame
  std::size_t ws_send_queue_max_messages = 256;
  std::size_t ws_send_queue_max_bytes = 8 * std::size_t{1024} * 1024;
  int shutdown_grace_s = 10;    // how long running tasks may finish on SIGTERM
  int max_connections = 50000;  // accepted sockets beyond this are closed at once

  // Station datasets and monitored sites (issue 14).
  std::size_t upload_limit_bytes = 50 * std::size_t{1024} * 1024;  // a CSV upload beyond this: 413
  std::string workspace_store_url;   // empty: sqlite://<data_dir>/workspaces.sqlite3
  int site_scheduler_period_s = 30;  // how often monitored sites are checked; 0: never

  // Who may do what (see access_policy.hpp). Secrets are never logged.
  std::string admin_token;  // bearer for operations changes and any task or workspace; empty: none
  std::string allowed_origins;  // comma-separated origins trusted besides the server's own
  bool cors = false;            // answer CORS (preflight, Allow-Origin) to allowed_origins
  std::string metrics_access = "loopback";  // "loopback" or "any": who reads /metrics untokened
  std::string metrics_token;                // bearer that reads /metrics from anywhere
  std::string task_token_key;  // secret behind cancel tokens; empty: serve keeps one in data_dir
};

/// Where settings come from, lowest precedence first: defaults < file < environment < flags.
struct ConfigSources {
  std::optional<std::string> file_path;            // JSON object of the keys below
  std::map<std::string, std::string> environment;  // e.g. {"EVAPO_PORT", "9000"}; others ignored
  std::map<std::string, std::string> flags;        // key -> value, e.g. {"port", "0"}
};

/// Resolves the configuration. Keys (file and flags) are the ServerConfig member names; the
/// environment variable of a key is EVAPO_ + its name in upper case (EVAPO_RATE_LIMIT_PER_S).
/// Errors: invalid_argument for an unknown key in the file or flags, a value of the wrong type or
/// out of range, or malformed JSON; not_found when the file cannot be read.
domain::Expected<ServerConfig> resolve_config(const ConfigSources& sources);

/// The environment variables of this process whose names start with EVAPO_.
std::map<std::string, std::string> evapo_environment();

/// The environment variable of every key, in table order (EVAPO_HOST, EVAPO_PORT, ...).
std::vector<std::string> config_environment_names();

}  // namespace evapo::server
