#pragma once

// What the dataset, site and workspace endpoints share: the stores, who may see what, and the
// operations channel their events go on.

#include <memory>

#include <nlohmann/json.hpp>

#include <evapo/datasets/dataset_records.hpp>
#include <evapo/ops/event_channel.hpp>
#include <evapo/server/workspace_access.hpp>
#include <evapo/storage/workspace_stores.hpp>

namespace evapo::server {

struct WorkspaceServices {
  storage::WorkspaceStores stores;
  std::shared_ptr<WorkspaceAccess> access;
  ops::EventChannel* channel = nullptr;  // null: events are not published

  /// Publishes `type` with `data` on the channel; a failure is logged, never returned (an event
  /// reports what happened and is never a reason for it to fail).
  void publish(ops::EventType type, const nlohmann::json& data) const;

  /// An activity item (ops/activity.hpp) for the dashboard's feed.
  void publish_activity(std::string_view kind, std::string_view action, std::string_view subject,
                        nlohmann::json params = nlohmann::json::object()) const;
};

/// The path parameter of an id this server hands out (32 lower-case hex digits).
bool is_resource_id(std::string_view text);

/// The dataset `id` when `caller` may see it; else the answer to give (404 for another
/// workspace's, as for none; 5xx from the store).
tl::expected<datasets::StoredDataset, HttpResponse> find_visible_dataset(
    const WorkspaceServices& services, const HttpRequest& request, const Caller& caller,
    const std::string& id);

}  // namespace evapo::server
