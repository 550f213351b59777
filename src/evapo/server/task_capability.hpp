#pragma once

#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>

namespace evapo::server {

/// The capability to cancel one task: a token handed out once, in the answer that created the
/// task, and required (as "Authorization: Bearer <token>") to cancel it. Tokens are
/// HMAC-SHA256(key, task id), so nothing is stored per task and every server sharing the key
/// (distributed mode) accepts them. Thread-safe.
class TaskCapability {
 public:
  /// `key`: the secret (at least 16 bytes); empty: a random key for this process only.
  explicit TaskCapability(std::string key);

  /// The cancel token of `task_id`: 64 lower-case hex digits.
  std::string token_for(std::string_view task_id) const;

  /// True when `token` is the cancel token of `task_id` (constant-time comparison).
  bool allows_cancel(std::string_view task_id, std::string_view token) const;

 private:
  std::string key_;
};

/// The key kept in "<data_dir>/task_token.key" (created, mode 0600, with 32 random bytes the
/// first time), so tokens stay valid across restarts. Errors: unavailable when the file can be
/// neither read nor created; invalid_argument when it holds fewer than 16 bytes.
domain::Expected<std::string> load_or_create_task_key(const std::string& data_dir);

}  // namespace evapo::server
