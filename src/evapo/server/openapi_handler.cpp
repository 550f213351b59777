#include <boost/beast/http/field.hpp>

#include <evapo/server/openapi_handler.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

void add_openapi_routes(Router& router) {
  router.add({.method = http::verb::get,
              .pattern = "/openapi.json",
              .name = "openapi",
              .handler = [](const HttpRequest& request, const PathParams&) {
                HttpResponse response{http::status::ok, request.version()};
                response.set(http::field::content_type, "application/json");
                response.set(http::field::cache_control, "no-cache");
                response.keep_alive(request.keep_alive());
                response.body() = std::string(openapi_document());
                response.prepare_payload();
                return response;
              }});
}

}  // namespace evapo::server
