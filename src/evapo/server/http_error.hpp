#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/status.hpp>
#include <nlohmann/json.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/server/http_types.hpp>

namespace evapo::server {

// The one place that maps errors to HTTP statuses and the JSON error body
// {"error":{"code","message","details":[{"field","reason"}]}}.

/// HTTP status of a domain error code (invalid_argument -> 422, not_found -> 404, ...).
boost::beast::http::status http_status(domain::ErrorCode code);

/// Stable API code of a domain error code ("VALIDATION_ERROR", "NOT_FOUND", ...).
std::string_view api_error_code(domain::ErrorCode code);

/// A JSON error response for a domain error, keeping the request's HTTP version and keep-alive.
HttpResponse error_response(const HttpRequest& request, const domain::Error& error);

/// A JSON error response with an explicit status and API code, for transport-level failures
/// (400 BAD_REQUEST, 413 PAYLOAD_TOO_LARGE, 429 RATE_LIMITED, 405 METHOD_NOT_ALLOWED, ...).
HttpResponse error_response(const HttpRequest& request, boost::beast::http::status status,
                            std::string_view api_code, std::string_view message,
                            const std::vector<domain::ErrorDetail>& details = {});

/// `value` as compact JSON text; bytes that are not UTF-8 (a raw path segment copied into a
/// message) become U+FFFD instead of throwing.
std::string json_text(const nlohmann::json& value);

/// A JSON response with `body` (already serialised) and the given status.
HttpResponse json_response(const HttpRequest& request, boost::beast::http::status status,
                           std::string body);

}  // namespace evapo::server
