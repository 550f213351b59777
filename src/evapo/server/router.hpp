#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include <evapo/server/access_policy.hpp>
#include <evapo/server/http_types.hpp>
#include <evapo/server/query_string.hpp>

namespace evapo::server {

/// How a matched request is served: a plain response, or a long-lived stream that takes over
/// the connection (the session classes handle those, the route only names them).
enum class RouteKind { http, websocket, sse, ops_websocket, ops_sse, upload };

/// Whether a route's requests draw from the per-client token bucket (429 when empty).
enum class RateLimit { none, per_client };

/// Where a route's handler runs. Network threads only parse, route and write: a handler that
/// reads the task store or builds a large body runs on the blocking pool, so a slow query never
/// delays another connection.
enum class RunOn { io_thread, blocking_pool };

/// Answers one request; on an io_thread route it must not block.
using Handler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

/// Takes the answer of a request served later; callable once, from any thread.
using Responder = std::function<void(HttpResponse)>;

/// Starts answering one request whose answer waits on something slow (an upstream call): runs
/// on the connection's strand, must not block, and must call `respond` exactly once.
using AsyncHandler = std::function<void(const HttpRequest&, const PathParams&, Responder respond)>;

/// One endpoint: method + pattern ("/api/v1/tasks/{task_id}"), a stable name used as the
/// metrics label, and the handler (empty for websocket/sse routes; an http route has `handler`
/// or `async_handler`).
struct Route {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string pattern;
  std::string name;
  RouteKind kind = RouteKind::http;
  RateLimit limit = RateLimit::none;
  Access access = Access::anyone;
  RunOn run_on = RunOn::io_thread;
  Handler handler;
  AsyncHandler async_handler = nullptr;
};

/// The result of matching a request.
struct RouteMatch {
  const Route* route = nullptr;  // nullptr: no route for this method and path
  PathParams params;
  /// Methods some route serves on this path, for an Allow header ("GET, HEAD, DELETE"; HEAD
  /// with every plain GET); empty when no route has this path. A HEAD request matches the GET
  /// route of its path (the session drops the body).
  std::string allow;
};

/// The table of every API endpoint. Static files are not routes: the session falls back to them
/// for GET requests that match nothing here.
class Router {
 public:
  /// Adds a route. Patterns are literal segments and whole-segment {name} parameters.
  void add(Route route);

  /// Finds the route for `method` and `path` (the target without its query string).
  RouteMatch match(boost::beast::http::verb method, std::string_view path) const;

  /// Every route, in the order added (the OpenAPI test compares these to the document).
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace evapo::server
