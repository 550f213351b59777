#pragma once

// Workspaces: who owns station datasets and monitored sites. There are no accounts: a workspace
// is known by a random key its owner keeps; the store holds only a hash of it.

#include <optional>
#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>

namespace evapo::storage {

struct WorkspaceRecord {
  std::string id;          // 32 hex digits, random
  std::string created_at;  // ISO-8601 UTC
};

class WorkspaceStore {
 public:
  virtual ~WorkspaceStore() = default;

  /// Stores a new workspace known by the key whose hash is `key_hash`. Errors: invalid_argument
  /// when the id or the hash is taken; unavailable/internal from the backend.
  virtual domain::Expected<void> create(const WorkspaceRecord& workspace,
                                        std::string_view key_hash) = 0;

  /// The workspace whose key hashes to `key_hash`, or nullopt.
  virtual domain::Expected<std::optional<WorkspaceRecord>> find_by_key_hash(
      std::string_view key_hash) = 0;
};

}  // namespace evapo::storage
