#pragma once

// Test helper (header-only): starts tools/upstream_simulator (evapo-upstream-sim) as a subprocess
// on port 0, learns its base URL, arms faults and reads its counters; stops it on destruction.
// Link CURL::libcurl and nlohmann_json, and add_dependencies(<your tests> evapo-upstream-sim).
//
//   evapo::testing::UpstreamSimulator sim;   // or: Options o; o.latency_ms = 20; sim(o)
//   auto config = sim.sources_config();                        // every base URL -> simulator
//   sim.set_fault(R"({"source":"nasa_power","fault":"status_500","count":1})");
//   sim.stats()["requests"]["nasa_power"]                      // requests seen per upstream

#include <cstdlib>
#include <poll.h>
#include <signal.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <evapo/sources/sources_config.hpp>

namespace evapo::testing {

/// How to start the simulator.
struct UpstreamSimulatorOptions {
  int latency_ms = 0;            // --latency-ms
  bool replay_fixtures = false;  // answer the recorded fixture requests with their bytes
  std::string today;             // fixed "today" (YYYY-MM-DD); empty: the clock
  std::vector<std::string> extra_args;
};

class UpstreamSimulator {
 public:
  using Options = UpstreamSimulatorOptions;

  UpstreamSimulator() : UpstreamSimulator(Options{}) {}

  /// Starts the simulator; throws std::runtime_error when it cannot (binary missing, no port
  /// printed within 10 s).
  explicit UpstreamSimulator(const Options& options) {
    std::vector<std::string> args = {binary_path(), "--port", "0", "--threads", "4"};
    if (options.latency_ms > 0)
      args.insert(args.end(), {"--latency-ms", std::to_string(options.latency_ms)});
    if (options.replay_fixtures) args.insert(args.end(), {"--fixtures", fixtures_dir()});
    if (!options.today.empty()) args.insert(args.end(), {"--today", options.today});
    args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    pollfd fd{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos) {
      if (poll(&fd, 1, 10000) <= 0) break;
      char buffer[64];
      const ssize_t n = read(out[0], buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<std::size_t>(n));
    }
    close(out[0]);
    port_ = std::atoi(line.c_str());
    if (port_ <= 0) {
      stop();
      throw std::runtime_error(
          "evapo-upstream-sim did not print its port (binary: " + binary_path() + ")");
    }
    base_url_ = "http://127.0.0.1:" + std::to_string(port_);
  }

  ~UpstreamSimulator() { stop(); }
  UpstreamSimulator(const UpstreamSimulator&) = delete;
  UpstreamSimulator& operator=(const UpstreamSimulator&) = delete;

  /// "http://127.0.0.1:<port>".
  const std::string& base_url() const { return base_url_; }
  int port() const { return port_; }

  /// A sources config with every upstream (and elevation) pointing at this simulator.
  sources::SourcesConfig sources_config() const {
    sources::SourcesConfig config;
    config.nasa_power_url = config.open_meteo_archive_url = config.open_meteo_forecast_url =
        base_url_;
    config.met_norway_url = config.nws_url = config.elevation_url = config.geocoding_url =
        base_url_;
    return config;
  }

  /// Sets the EVAPO_*_URL variables of this process to the simulator (for code that reads them).
  void export_environment() const {
    for (const char* name :
         {"EVAPO_NASA_POWER_URL", "EVAPO_OPEN_METEO_ARCHIVE_URL", "EVAPO_OPEN_METEO_FORECAST_URL",
          "EVAPO_MET_NORWAY_URL", "EVAPO_NWS_URL", "EVAPO_ELEVATION_URL", "EVAPO_GEOCODING_URL"}) {
      setenv(name, base_url_.c_str(), 1);
    }
  }

  /// Arms a fault: {"source":"nasa_power"|..|"elevation"|"*","fault":"delay"|"status_429"|
  /// "status_500"|"reset"|"truncated"|"invalid_json"|"missing_run","count":N,"delay_ms":..,
  /// "retry_after_s":..,"days":..}. Throws when the simulator refuses it.
  void set_fault(const std::string& json) {
    if (request("POST", "/__sim/faults", json).first != 201)
      throw std::runtime_error("fault refused: " + json);
  }

  /// Clears the faults of `source` ("*": all).
  void clear_faults(const std::string& source = "*") {
    request("DELETE", "/__sim/faults?source=" + source, "");
  }

  /// {"requests":{upstream:n},"last_target":{upstream:"/path?query"},"faults_injected":{upstream:n},"armed":[...]}.
  nlohmann::json stats() {
    return nlohmann::json::parse(request("GET", "/__sim/stats", "").second);
  }

  /// Requests seen by one upstream ("nasa_power", "nws", "elevation", ...).
  int requests(const std::string& upstream) {
    const auto s = stats();
    return s["requests"].contains(upstream) ? s["requests"][upstream].get<int>() : 0;
  }

  /// The simulator binary: $EVAPO_UPSTREAM_SIM, else
  /// <build>/tools/upstream_simulator/evapo-upstream-sim.
  static std::string binary_path() {
    if (const char* env = std::getenv("EVAPO_UPSTREAM_SIM"); env != nullptr && *env != '\0')
      return env;
    return std::string(EVAPO_BINARY_DIR) + "/tools/upstream_simulator/evapo-upstream-sim";
  }

  static std::string fixtures_dir() { return std::string(EVAPO_SHARED_DIR) + "/fixtures/weather"; }

 private:
  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

  static std::size_t append(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
  }

  std::pair<long, std::string> request(const std::string& method, const std::string& path,
                                       const std::string& body) {
    CURL* curl = curl_easy_init();
    std::string out;
    const std::string url = base_url_ + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
    if (method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &UpstreamSimulator::append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK) throw std::runtime_error("simulator control request failed: " + url);
    return {status, out};
  }

  pid_t pid_ = -1;
  int port_ = 0;
  std::string base_url_;
};

}  // namespace evapo::testing
