#include <spdlog/spdlog.h>

#include <evapo/domain/random_id.hpp>
#include <evapo/ops/activity.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/workspace_services.hpp>

namespace evapo::server {

void WorkspaceServices::publish(ops::EventType type, const nlohmann::json& data) const {
  if (channel == nullptr) return;
  if (auto published = channel->publish(type, data); !published) {
    spdlog::warn("event {} not published: {}", ops::to_string(type), published.error().message);
  }
}

void WorkspaceServices::publish_activity(std::string_view kind, std::string_view action,
                                         std::string_view subject, nlohmann::json params) const {
  if (channel == nullptr) return;
  ops::publish_activity(*channel, kind, action, subject, std::move(params));
}

bool is_resource_id(std::string_view text) {
  return domain::is_lower_hex(text, 32);
}

tl::expected<datasets::StoredDataset, HttpResponse> find_visible_dataset(
    const WorkspaceServices& services, const HttpRequest& request, const Caller& caller,
    const std::string& id) {
  const auto not_found = [&] {
    return tl::unexpected(error_response(request, domain::Error::not_found("no such dataset")));
  };
  if (!is_resource_id(id)) return not_found();
  auto record = services.stores.datasets->get(id);
  if (!record) return tl::unexpected(error_response(request, record.error()));
  if (!*record || !caller.sees((*record)->workspace_id)) return not_found();
  auto meta = datasets::parse_meta((*record)->meta_json);
  if (!meta) return tl::unexpected(error_response(request, meta.error()));
  return datasets::StoredDataset{std::move(**record), std::move(*meta)};
}

}  // namespace evapo::server
