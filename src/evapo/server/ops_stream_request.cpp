#include <charconv>

#include <evapo/server/ops_stream_request.hpp>
#include <evapo/server/router.hpp>

namespace evapo::server {

domain::Expected<OpsStreamRequest> parse_ops_stream_request(const HttpRequest& request) {
  OpsStreamRequest out;
  auto topics = ops::TopicSet::parse(query_parameter(request.target(), "topics"));
  if (!topics) return domain::fail(topics.error());
  out.topics = *topics;
  std::string since(request["Last-Event-ID"]);
  if (since.empty()) since = query_parameter(request.target(), "since");
  if (!since.empty()) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(since.data(), since.data() + since.size(), value);
    if (ec != std::errc() || end != since.data() + since.size() || value < 0) {
      return domain::fail(domain::Error::invalid_argument("invalid resume position",
                                                          {{"since", "must be an integer >= 0"}}));
    }
    out.since = value;
  }
  return out;
}

}  // namespace evapo::server
