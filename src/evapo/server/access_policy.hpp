#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/server/config.hpp>
#include <evapo/server/http_types.hpp>

namespace evapo::server {

/// Who may call a route, beyond what its handler checks itself (a task's cancel token).
enum class Access {
  anyone,
  admin,    // the admin token as bearer; without one configured, only on a loopback-bound server
  metrics,  // a loopback peer (metrics_access "loopback"), the metrics or admin token, or anyone
};

/// The token of an "Authorization: Bearer <token>" header; empty when there is none.
std::string_view bearer_token(const HttpRequest& request);

/// Equality of two secrets in time that depends neither on where they differ nor on their
/// lengths (both are hashed first). An empty `expected` never matches.
bool secrets_equal(std::string_view given, std::string_view expected);

/// The server's rules on callers: route access, Origin (CSRF and cross-site WebSocket
/// hijacking), Host (DNS rebinding against a loopback server) and CORS. Built once from the
/// configuration; thread-safe (read-only).
class AccessPolicy {
 public:
  explicit AccessPolicy(const ServerConfig& config);

  /// nullopt when `request` from peer address `client` may call a route with `access`; else the
  /// 403 answer, saying what would grant access.
  std::optional<HttpResponse> refuse(Access access, const HttpRequest& request,
                                     std::string_view client) const;

  /// True when the request's bearer is the admin token (never when none is configured).
  bool is_admin(const HttpRequest& request) const;

  /// True when the request carries no Origin (not a browser, or a same-origin GET), or its
  /// Origin is the server's own (the Host it was sent to) or one of allowed_origins.
  bool origin_allowed(const HttpRequest& request) const;

  /// False when a loopback-bound server is reached under a name that is not a loopback one (a
  /// page on another site whose name was re-pointed at 127.0.0.1) nor an allowed origin's host.
  bool host_allowed(const HttpRequest& request) const;

  /// With cors on, the request's Origin when it is an allowed one (the answer then carries
  /// Access-Control-Allow-Origin: it, see add_cors_headers); else empty.
  std::string cors_origin(const HttpRequest& request) const;

  /// True when `request` is a CORS preflight this server answers (cors on, allowed Origin).
  bool is_preflight_allowed(const HttpRequest& request) const;

 private:
  bool loopback_server_;
  std::string admin_token_;
  std::string metrics_token_;
  bool metrics_from_anyone_;
  bool cors_;
  std::vector<std::string> allowed_origins_;  // lower case, no trailing slash
};

/// Adds the CORS headers letting `origin` (from AccessPolicy::cors_origin) read `response`.
void add_cors_headers(std::string_view origin, HttpResponse& response);

}  // namespace evapo::server
