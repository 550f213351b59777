#include <array>

#include <boost/beast/http/field.hpp>
#include <openssl/evp.h>

#include <evapo/domain/date.hpp>
#include <evapo/domain/random_id.hpp>
#include <evapo/server/access_policy.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/workspace_access.hpp>

namespace evapo::server {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kKeyPrefix = "evapo_ws_";
constexpr std::size_t kKeyRandomBytes = 32;
constexpr std::size_t kIdRandomBytes = 16;

HttpResponse unauthorized(const HttpRequest& request, std::string message) {
  HttpResponse response =
      error_response(request, http::status::unauthorized, "UNAUTHORIZED", std::move(message));
  response.set(http::field::www_authenticate, "Bearer realm=\"evapo workspace\"");
  return response;
}

}  // namespace

std::string key_hash(std::string_view key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(key.data(), key.size(), digest.data(), &length, EVP_sha256(), nullptr);
  constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text.push_back(kHex[digest[i] >> 4]);
    text.push_back(kHex[digest[i] & 0x0f]);
  }
  return text;
}

WorkspaceAccess::WorkspaceAccess(std::shared_ptr<storage::WorkspaceStore> store,
                                 std::string admin_token)
    : store_(std::move(store)), admin_token_(std::move(admin_token)) {}

domain::Expected<NewWorkspace> WorkspaceAccess::create() {
  NewWorkspace created{
      .workspace = {.id = domain::random_hex(kIdRandomBytes),
                    .created_at = domain::format_iso_utc_millis(std::chrono::system_clock::now())},
      .key = std::string(kKeyPrefix) + domain::random_hex(kKeyRandomBytes)};
  if (auto stored = store_->create(created.workspace, key_hash(created.key)); !stored) {
    return domain::fail(stored.error());
  }
  return created;
}

tl::expected<Caller, HttpResponse> WorkspaceAccess::identify(const HttpRequest& request) const {
  const std::string_view key = bearer_token(request);
  if (key.empty()) {
    return tl::unexpected(
        unauthorized(request,
                     "this needs a workspace key as 'Authorization: Bearer <key>' (POST "
                     "/api/v1/workspaces creates one)"));
  }
  if (secrets_equal(key, admin_token_))
    return Caller{.kind = Caller::Kind::admin, .workspace_id = {}};
  if (!key.starts_with(kKeyPrefix) ||
      !domain::is_lower_hex(key.substr(kKeyPrefix.size()), 2 * kKeyRandomBytes)) {
    return tl::unexpected(unauthorized(request, "this is not a workspace key"));
  }
  auto found = store_->find_by_key_hash(key_hash(key));
  if (!found) return tl::unexpected(error_response(request, found.error()));
  if (!*found) return tl::unexpected(unauthorized(request, "no workspace has this key"));
  return Caller{.kind = Caller::Kind::workspace, .workspace_id = (*found)->id};
}

}  // namespace evapo::server
