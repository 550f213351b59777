#include <boost/beast/http/field.hpp>

#include <evapo/server/access_policy.hpp>
#include <evapo/server/response_headers.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kHtmlPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
constexpr std::string_view kNoContentPolicy = "default-src 'none'; frame-ancestors 'none'";

}  // namespace

void add_response_headers(HttpResponse& response, std::string_view cors_origin) {
  if (!cors_origin.empty()) add_cors_headers(cors_origin, response);
  response.set("X-Content-Type-Options", "nosniff");
  if (response.find("Content-Security-Policy") != response.end()) return;
  const bool html = response[http::field::content_type].starts_with("text/html");
  response.set("Content-Security-Policy", html ? kHtmlPolicy : kNoContentPolicy);
  if (html) response.set("X-Frame-Options", "DENY");
}

}  // namespace evapo::server
