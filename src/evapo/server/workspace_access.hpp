#pragma once

// Who a request on datasets and sites acts for. No accounts: `POST /api/v1/workspaces` hands
// out a random key, and every later request carries it as "Authorization: Bearer <key>". A key
// sees its own workspace's data only (anything else is 404, as if it did not exist); the admin
// token (EVAPO_ADMIN_TOKEN) sees every workspace and owns none. Keys are stored as SHA-256.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include <evapo/domain/error.hpp>
#include <evapo/server/http_types.hpp>
#include <evapo/storage/workspace_store.hpp>

namespace evapo::server {

struct Caller {
  enum class Kind { workspace, admin };
  Kind kind = Kind::workspace;
  std::string workspace_id;  // empty for the admin

  /// True when data of `owner_workspace_id` is visible to this caller.
  bool sees(std::string_view owner_workspace_id) const {
    return kind == Kind::admin || owner_workspace_id == workspace_id;
  }
  /// The workspace filter of a listing: nullopt (all) for the admin.
  std::optional<std::string> scope() const {
    if (kind == Kind::admin) return std::nullopt;
    return workspace_id;
  }
};

/// A new workspace and the key to use it (shown once).
struct NewWorkspace {
  storage::WorkspaceRecord workspace;
  std::string key;
};

class WorkspaceAccess {
 public:
  WorkspaceAccess(std::shared_ptr<storage::WorkspaceStore> store, std::string admin_token);

  /// Creates a workspace with a random key ("evapo_ws_" + 64 hex digits).
  domain::Expected<NewWorkspace> create();

  /// The caller of `request`, or the answer to give instead: 401 (no key, or a key no
  /// workspace has) with WWW-Authenticate, 503 when the store fails.
  tl::expected<Caller, HttpResponse> identify(const HttpRequest& request) const;

 private:
  std::shared_ptr<storage::WorkspaceStore> store_;
  std::string admin_token_;
};

/// SHA-256 of `key`, as 64 lower-case hex digits.
std::string key_hash(std::string_view key);

}  // namespace evapo::server
