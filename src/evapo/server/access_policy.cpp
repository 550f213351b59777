#include <algorithm>
#include <array>
#include <cctype>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/field.hpp>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <evapo/server/access_policy.hpp>
#include <evapo/server/http_error.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string normalized_origin(std::string_view origin) {
  std::string out = lower(origin);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

std::vector<std::string> split_origins(const std::string& text) {
  std::vector<std::string> origins;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    std::string_view item(text.data() + start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) origins.push_back(normalized_origin(item));
    start = comma + 1;
  }
  return origins;
}

// "host:port" -> "host"; "[::1]:80" -> "::1".
std::string_view host_name(std::string_view authority) {
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    return close == std::string_view::npos ? authority : authority.substr(1, close - 1);
  }
  const auto colon = authority.rfind(':');
  return colon == std::string_view::npos ? authority : authority.substr(0, colon);
}

bool is_loopback_name(std::string_view host) {
  const std::string name = lower(host);
  if (name == "localhost" || name.ends_with(".localhost")) return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(name, ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
        .is_loopback();
  }
  return address.is_loopback();
}

// The authority ("host:port") of an origin; empty when it has no scheme.
std::string_view origin_authority(std::string_view origin) {
  const auto scheme_end = origin.find("://");
  return scheme_end == std::string_view::npos ? std::string_view() : origin.substr(scheme_end + 3);
}

}  // namespace

std::string_view bearer_token(const HttpRequest& request) {
  const std::string_view value = request[http::field::authorization];
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() || lower(value.substr(0, kScheme.size())) != kScheme) {
    return {};
  }
  std::string_view token = value.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return token;
}

bool secrets_equal(std::string_view given, std::string_view expected) {
  if (expected.empty()) return false;
  std::array<unsigned char, SHA256_DIGEST_LENGTH> given_hash{};
  std::array<unsigned char, SHA256_DIGEST_LENGTH> expected_hash{};
  SHA256(reinterpret_cast<const unsigned char*>(given.data()), given.size(), given_hash.data());
  SHA256(reinterpret_cast<const unsigned char*>(expected.data()), expected.size(),
         expected_hash.data());
  return CRYPTO_memcmp(given_hash.data(), expected_hash.data(), given_hash.size()) == 0;
}

AccessPolicy::AccessPolicy(const ServerConfig& config)
    : loopback_server_(is_loopback_name(config.host)),
      admin_token_(config.admin_token),
      metrics_token_(config.metrics_token),
      metrics_from_anyone_(config.metrics_access == "any"),
      cors_(config.cors),
      allowed_origins_(split_origins(config.allowed_origins)) {}

bool AccessPolicy::is_admin(const HttpRequest& request) const {
  return secrets_equal(bearer_token(request), admin_token_);
}

std::optional<HttpResponse> AccessPolicy::refuse(Access access, const HttpRequest& request,
                                                 std::string_view client) const {
  switch (access) {
    case Access::anyone:
      return std::nullopt;
    case Access::admin:
      if (admin_token_.empty() ? loopback_server_ : is_admin(request)) return std::nullopt;
      return error_response(
          request, http::status::forbidden, "FORBIDDEN",
          admin_token_.empty()
              ? "this needs the admin token: set EVAPO_ADMIN_TOKEN on the server and send it as "
                "'Authorization: Bearer <token>'"
              : "this needs the admin token as 'Authorization: Bearer <token>'");
    case Access::metrics:
      if (metrics_from_anyone_ || is_loopback_name(client) || is_admin(request) ||
          secrets_equal(bearer_token(request), metrics_token_)) {
        return std::nullopt;
      }
      return error_response(request, http::status::forbidden, "FORBIDDEN",
                            "metrics are served to loopback clients; elsewhere send "
                            "EVAPO_METRICS_TOKEN as 'Authorization: Bearer <token>' (or set "
                            "EVAPO_METRICS_ACCESS=any)");
  }
  return std::nullopt;
}

bool AccessPolicy::origin_allowed(const HttpRequest& request) const {
  const auto found = request.find(http::field::origin);
  if (found == request.end()) return true;
  const std::string origin = normalized_origin(found->value());
  const std::string_view authority = origin_authority(origin);
  if (!authority.empty() && authority == lower(request[http::field::host])) return true;
  return std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) !=
         allowed_origins_.end();
}

bool AccessPolicy::host_allowed(const HttpRequest& request) const {
  if (!loopback_server_) return true;
  const std::string_view host = request[http::field::host];
  if (host.empty() || is_loopback_name(host_name(host))) return true;
  const std::string authority = lower(host);
  return std::any_of(
      allowed_origins_.begin(), allowed_origins_.end(),
      [&](const std::string& origin) { return origin_authority(origin) == authority; });
}

std::string AccessPolicy::cors_origin(const HttpRequest& request) const {
  if (!cors_) return {};
  const auto found = request.find(http::field::origin);
  if (found == request.end()) return {};
  const std::string origin = normalized_origin(found->value());
  if (std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) ==
      allowed_origins_.end()) {
    return {};
  }
  return std::string(found->value());
}

void add_cors_headers(std::string_view origin, HttpResponse& response) {
  response.set(http::field::access_control_allow_origin, origin);
  response.set(http::field::access_control_expose_headers, "Location, Retry-After");
  response.set(http::field::vary, "Origin");
}

bool AccessPolicy::is_preflight_allowed(const HttpRequest& request) const {
  if (!cors_ || request.method() != http::verb::options) return false;
  const auto origin = request.find(http::field::origin);
  if (origin == request.end() ||
      request.find(http::field::access_control_request_method) == request.end()) {
    return false;
  }
  return std::find(allowed_origins_.begin(), allowed_origins_.end(),
                   normalized_origin(origin->value())) != allowed_origins_.end();
}

}  // namespace evapo::server
