#include <cctype>
#include <string>
#include <string_view>

#include <boost/beast/http/field.hpp>

#include <evapo/server/http_error.hpp>
#include <evapo/server/json_body.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

// "application/json", any case, parameters (charset) allowed.
bool is_json_media_type(std::string_view content_type) {
  const std::string_view type = content_type.substr(0, content_type.find(';'));
  std::string normalized;
  for (const char c : type) {
    if (c != ' ' && c != '\t')
      normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return normalized == "application/json";
}

}  // namespace

tl::expected<nlohmann::json, HttpResponse> json_object_body(const HttpRequest& request,
                                                            EmptyBody empty) {
  if (empty == EmptyBody::is_empty_object && request.body().empty()) {
    return nlohmann::json::object();
  }
  if (!is_json_media_type(request[http::field::content_type])) {
    return tl::unexpected(
        error_response(request, http::status::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE",
                       "the request body must be sent as Content-Type: application/json"));
  }
  auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (body.is_discarded()) {
    return tl::unexpected(error_response(request, http::status::bad_request, "BAD_REQUEST",
                                         "the request body is not valid JSON"));
  }
  if (!body.is_object()) {
    return tl::unexpected(error_response(
        request, domain::Error::invalid_argument("the request body must be a JSON object",
                                                 {{"body", "must be a JSON object"}})));
  }
  return body;
}

}  // namespace evapo::server
