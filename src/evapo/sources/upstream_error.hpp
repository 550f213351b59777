#pragma once

#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>

namespace evapo::sources {

/// The error an HTTP status from an upstream means: 429 and 5xx are unavailable (may succeed
/// later), 404 not_found, other non-2xx upstream. The message reads "<tag>: HTTP <status>:
/// <reason>".
domain::Error error_for_status(std::string_view tag, long status, std::string_view reason);

/// The first ~200 bytes of a body as one line, for messages.
std::string body_excerpt(std::string_view body);

}  // namespace evapo::sources
