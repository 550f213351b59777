#pragma once

// Faults injected on demand through POST /__sim/faults, per upstream, each for the next N
// requests of that upstream.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace evapo::sim {

enum class FaultKind { delay, status_429, status_500, reset, truncated, invalid_json, missing_run };

/// One armed fault. `source` is a source id, "elevation" or "*" (any upstream).
struct Fault {
  std::string source = "*";
  FaultKind kind = FaultKind::status_500;
  int count = 1;                        // requests it applies to; <= 0 means forever
  std::chrono::milliseconds delay{0};   // for delay
  std::chrono::seconds retry_after{1};  // for status_429
  int missing_days = 3;                 // for missing_run: this many days in the middle
};

/// Parses {"source":..,"fault":..,"count":N,"delay_ms":..,"retry_after_s":..,"days":..};
/// nullopt with `error` set when malformed.
std::optional<Fault> parse_fault(const std::string& body, std::string& error);

/// Thread-safe queue of faults and per-upstream request counters.
class FaultInjector {
 public:
  void add(Fault fault);

  /// Removes every fault of `source` ("*" or empty: all).
  void clear(const std::string& source);

  /// Counts a request of `source` and returns the fault it gets, if any (oldest first).
  std::optional<Fault> on_request(const std::string& source, std::string_view target = {});

  /// {"requests":{source:n},"faults_injected":{source:n},"armed":[...]}.
  nlohmann::json stats() const;

 private:
  mutable std::mutex mutex_;
  std::deque<Fault> faults_;
  std::map<std::string, std::uint64_t> requests_;
  std::map<std::string, std::string> last_targets_;  // what a test checks of the query
  std::map<std::string, std::uint64_t> injected_;
};

/// "delay", "status_429", ...
const char* to_string(FaultKind kind);

}  // namespace evapo::sim
