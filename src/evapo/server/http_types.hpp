#pragma once

#include <map>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace evapo::server {

/// The request and response types every handler speaks (bodies fully in memory; the body limit
/// is enforced while reading).
using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

/// Values of the {name} segments of a route pattern, by name.
using PathParams = std::map<std::string, std::string>;

}  // namespace evapo::server
