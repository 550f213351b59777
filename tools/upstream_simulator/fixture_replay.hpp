#pragma once

// Replay of the recorded real responses (shared/fixtures/weather): a request whose path and
// query equal a fixture's recorded request gets the fixture's body, status and content type.

#include <map>
#include <optional>
#include <string>

#include "sim_types.hpp"

namespace evapo::sim {

class FixtureReplay {
 public:
  /// Indexes the fixtures found in `directory` (missing files are skipped). Returns how many.
  std::size_t load(const std::string& directory);

  /// The recorded answer to `query`, if one was recorded.
  std::optional<SimResponse> find(const Query& query) const;

  /// The canonical key of a request: path + "?" + sorted "k=v" pairs joined by "&".
  static std::string key_of(const Query& query);

 private:
  std::map<std::string, SimResponse> responses_;
};

}  // namespace evapo::sim
