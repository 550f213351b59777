#pragma once

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include <evapo/server/http_types.hpp>

namespace evapo::server {

/// Whether an empty body reads as {} (a POST whose every field is optional) or is an error.
enum class EmptyBody { is_empty_object, refused };

/// The JSON object a request carries, or the answer to give instead: 415 unless Content-Type is
/// application/json (a browser sends text/plain cross-site without asking first; JSON it must
/// ask for), 400 when the body is not valid JSON or not an object.
tl::expected<nlohmann::json, HttpResponse> json_object_body(const HttpRequest& request,
                                                            EmptyBody empty = EmptyBody::refused);

}  // namespace evapo::server
