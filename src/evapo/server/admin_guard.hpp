#pragma once

// Who may change things through the operations API (re-run a task, deploy or roll back fusion
// priors): with EVAPO_ADMIN_TOKEN set, only a request carrying it as "Authorization: Bearer"
// (compared in constant time, never logged); without it, only a server listening on a loopback
// address, and elsewhere 403 saying how to enable them. Reading stays open.
//
// Merge note: this is the rule of AccessPolicy::refuse(Access::admin, ...) on the hardening
// branch (access_policy.hpp); when both land, this function becomes a call to it.

#include <optional>
#include <string_view>

#include <evapo/server/config.hpp>
#include <evapo/server/http_types.hpp>

namespace evapo::server {

/// nullopt when `request` may change things on a server with `config`; else the 403 answer.
std::optional<HttpResponse> refuse_unless_admin(const ServerConfig& config,
                                                const HttpRequest& request);

/// True when both texts are equal, in time that depends only on `given`'s length (never on
/// where they differ, nor on the secret's length). An empty `expected` never matches.
bool secrets_match(std::string_view given, std::string_view expected);

/// True for an IP literal of the loopback network or "localhost".
bool is_loopback_host(std::string_view host);

}  // namespace evapo::server
