#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <evapo/domain/date.hpp>

namespace evapo::sources {
class EtopoGrid;
}

namespace evapo::sim {

/// A parsed request target: path and percent-decoded query parameters.
struct Query {
  std::string path;
  std::map<std::string, std::string> params;

  const std::string* get(const std::string& key) const {
    const auto it = params.find(key);
    return it == params.end() ? nullptr : &it->second;
  }
  /// The parameter as a number; nullopt when absent or not a number.
  std::optional<double> number(const std::string& key) const;
};

/// Splits "/path?a=1&b=x%2Cy" into path and decoded parameters.
Query parse_target(std::string_view target);

/// What the simulator sends back; `action` lets faults break the connection.
struct SimResponse {
  enum class Action { send, reset, truncate };
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  Action action = Action::send;
  std::chrono::milliseconds delay{0};
};

/// Facts a response builder needs besides the query.
struct ResponseContext {
  std::string base_url;  // "http://127.0.0.1:port", for URLs inside bodies
  domain::Date today{};  // UTC today
  std::int64_t now_utc_s = 0;
  const sources::EtopoGrid* grid = nullptr;  // elevation model; null: 0 m everywhere
  int missing_days = 0;  // > 0: blank this many days (or steps) in the middle (missing_run fault)
};

/// A JSON error body with the given status.
SimResponse json_response(unsigned status, std::string body,
                          std::string content_type = "application/json");

}  // namespace evapo::sim
