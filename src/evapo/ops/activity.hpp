#pragma once

// Items of the activity feed: what happened (kind + action, stable codes the web app
// translates), to what (subject), with what (params); when and by which node come with the
// event's envelope.

#include <string>

#include <nlohmann/json.hpp>

#include <evapo/ops/event_channel.hpp>

namespace evapo::ops {

/// {"kind","action","subject","params"}: e.g. kind "calculation", action "succeeded", subject
/// the task id, params {"latitude","longitude","days","eto_mean_mm"}.
nlohmann::json activity_data(std::string_view kind, std::string_view action,
                             std::string_view subject,
                             nlohmann::json params = nlohmann::json::object());

/// Publishes one activity item; a failure to store it is logged, not returned (the feed is a
/// report of what happened, never a reason for it to fail).
void publish_activity(EventChannel& channel, std::string_view kind, std::string_view action,
                      std::string_view subject, nlohmann::json params = nlohmann::json::object());

}  // namespace evapo::ops
