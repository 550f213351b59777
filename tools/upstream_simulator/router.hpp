#pragma once

// Maps a request to the simulated upstream that answers it, applying armed faults, the
// simulated latency and fixture replay. Pure request -> response; the sessions do the I/O.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fault_injector.hpp"
#include "fixture_replay.hpp"
#include "sim_types.hpp"

namespace evapo::sim {

struct RouterOptions {
  std::chrono::milliseconds latency{0};      // added to every upstream answer
  const sources::EtopoGrid* grid = nullptr;  // elevation model
  std::optional<domain::Date> today;         // fixed "today" (UTC); default: the clock
  const FixtureReplay* replay = nullptr;     // recorded answers, when loaded
};

class Router {
 public:
  explicit Router(RouterOptions options) : options_(options) {}

  /// Answers one request. `host` is the request's Host header (for URLs inside bodies). Like
  /// the real services, MET Norway and NWS refuse (403) requests without an identifying
  /// User-Agent (empty, or a bare "curl/..." or "python-requests/...").
  SimResponse handle(std::string_view method, std::string_view target, std::string_view body,
                     std::string_view host, std::string_view user_agent = "evapo-test");

  /// Counts an accepted TCP connection (reported by GET /__sim/stats as "connections").
  void on_connection() { ++connections_; }

  /// Which upstream a path belongs to: a source id, "elevation", or "" when none.
  static std::string upstream_of(std::string_view path);

 private:
  SimResponse control(std::string_view method, const Query& query, std::string_view body);
  SimResponse build(const std::string& upstream, const Query& query,
                    const ResponseContext& context) const;

  RouterOptions options_;
  FaultInjector faults_;
  std::atomic<std::uint64_t> connections_{0};
};

}  // namespace evapo::sim
