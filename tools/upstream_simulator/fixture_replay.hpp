#pragma once

// Replay of recorded responses (shared/fixtures/weather, and any `*cassette.json` in the folder):
// a request whose path and query equal a recorded request gets its body, status and type.

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

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
  void load_cassette(const nlohmann::json& cassette);

  std::map<std::string, SimResponse> responses_;
};

}  // namespace evapo::sim
