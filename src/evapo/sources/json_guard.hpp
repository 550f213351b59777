#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>

namespace evapo::sources {

/// Runs a body parser and turns any nlohmann::json exception (a member of an unexpected type,
/// say) into an upstream error, so that no exception leaves the sources layer.
template <class Parse>
auto parse_guarded(std::string_view tag, Parse&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const nlohmann::json::exception& e) {
    return domain::fail(
        domain::Error::upstream(std::string(tag) + ": unexpected JSON layout (" + e.what() + ")"));
  }
}

}  // namespace evapo::sources
