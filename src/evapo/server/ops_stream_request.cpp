#include <evapo/server/ops_stream_request.hpp>
#include <evapo/server/query_string.hpp>

namespace evapo::server {

domain::Expected<OpsStreamRequest> parse_ops_stream_request(const HttpRequest& request) {
  OpsStreamRequest out;
  auto topics = ops::TopicSet::parse(query_parameter(request.target(), "topics"));
  if (!topics) return domain::fail(topics.error());
  out.topics = *topics;
  std::string since(request["Last-Event-ID"]);
  if (since.empty()) since = query_parameter(request.target(), "since");
  if (!since.empty()) {
    out.since = parse_resume_position(since);
    if (!out.since) {
      return domain::fail(domain::Error::invalid_argument("invalid resume position",
                                                          {{"since", "must be an integer >= 0"}}));
    }
  }
  return out;
}

}  // namespace evapo::server
