#include <utility>

#include <boost/beast/http/verb.hpp>

#include <evapo/server/router.hpp>

namespace evapo::server {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) segments.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool match_pattern(std::string_view pattern, std::string_view path, PathParams& params) {
  const auto pattern_segments = split_path(pattern);
  const auto path_segments = split_path(path);
  if (pattern_segments.size() != path_segments.size()) return false;
  PathParams found;
  for (std::size_t i = 0; i < pattern_segments.size(); ++i) {
    const auto expected = pattern_segments[i];
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      found.emplace(std::string(expected.substr(1, expected.size() - 2)),
                    std::string(path_segments[i]));
    } else if (expected != path_segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(Route route) {
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(boost::beast::http::verb method, std::string_view path) const {
  namespace http = boost::beast::http;
  RouteMatch result;
  for (const auto& route : routes_) {
    PathParams params;
    if (!match_pattern(route.pattern, path, params)) continue;
    // HEAD is GET without the body (plain answers only: a stream has no head to show alone).
    const bool plain_get = route.method == http::verb::get && route.kind == RouteKind::http;
    const bool serves = route.method == method || (method == http::verb::head && plain_get);
    if (serves && result.route == nullptr) {
      result.route = &route;
      result.params = std::move(params);
    }
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += std::string(http::to_string(route.method));
    if (plain_get) result.allow += ", HEAD";
  }
  return result;
}

}  // namespace evapo::server
