#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/field.hpp>

#include <evapo/server/admin_guard.hpp>
#include <evapo/server/http_error.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

bool secrets_match(std::string_view given, std::string_view expected) {
  if (expected.empty()) return false;
  // Every byte of `given` is compared with some byte of the secret, whatever happens: the time
  // depends on the given length only.
  volatile unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference =
        static_cast<unsigned char>(difference | (given[i] ^ expected[i % expected.size()]));
  }
  return given.size() > 0 && difference == 0;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

std::optional<HttpResponse> refuse_unless_admin(const ServerConfig& config,
                                                const HttpRequest& request) {
  if (config.admin_token.empty()) {
    if (is_loopback_host(config.host)) return std::nullopt;
    return error_response(request, http::status::forbidden, "FORBIDDEN",
                          "changes through the operations API are off on a server reachable from "
                          "other machines: set EVAPO_ADMIN_TOKEN (16 characters or more) on the "
                          "server and send it as 'Authorization: Bearer <token>'");
  }
  std::string_view header = request[http::field::authorization];
  constexpr std::string_view kScheme = "Bearer ";
  const bool bearer =
      header.size() > kScheme.size() && (header.substr(0, kScheme.size()) == kScheme ||
                                         header.substr(0, kScheme.size()) == "bearer ");
  if (bearer && secrets_match(header.substr(kScheme.size()), config.admin_token)) {
    return std::nullopt;
  }
  return error_response(request, http::status::forbidden, "FORBIDDEN",
                        "this needs the admin token as 'Authorization: Bearer <token>'");
}

}  // namespace evapo::server
