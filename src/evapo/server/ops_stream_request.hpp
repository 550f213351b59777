#pragma once

#include <cstdint>
#include <optional>

#include <evapo/domain/error.hpp>
#include <evapo/ops/ops_event.hpp>
#include <evapo/server/http_types.hpp>

namespace evapo::server {

/// What a client of the operations channel asks for.
struct OpsStreamRequest {
  ops::TopicSet topics = ops::TopicSet::all();
  std::optional<std::int64_t> since;  // none: live events only
};

/// From "?topics=a,b&since=N" (for SSE the Last-Event-ID header wins over since). Errors:
/// invalid_argument with the field ("topics", "since") and reason.
domain::Expected<OpsStreamRequest> parse_ops_stream_request(const HttpRequest& request);

}  // namespace evapo::server
