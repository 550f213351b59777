#include <vector>

#include <evapo/server/server_state.hpp>

namespace evapo::server {

ServerState::ServerState(ServerConfig config, tasks::TaskService& tasks,
                         boost::asio::any_io_executor blocking, ops::Operations* operations,
                         WorkspaceServices* workspaces)
    : config_(std::move(config)),
      rate_limiter_(config_.rate_limit_per_s, config_.rate_limit_burst),
      static_files_(config_.web_root),
      tasks_(tasks),
      access_(config_),
      capability_(config_.task_token_key),
      blocking_(std::move(blocking)),
      operations_(operations),
      workspaces_(workspaces) {}

bool ServerState::try_begin_blocking() {
  if (blocking_in_flight_.fetch_add(1) < kMaxBlockingRequests) return true;
  blocking_in_flight_.fetch_sub(1);
  return false;
}

void ServerState::join(LiveSession* session, std::weak_ptr<LiveSession> handle) {
  std::lock_guard lock(mutex_);
  live_sessions_.emplace(session, std::move(handle));
}

void ServerState::leave(LiveSession* session) {
  std::lock_guard lock(mutex_);
  live_sessions_.erase(session);
}

std::size_t ServerState::live_session_count() {
  std::lock_guard lock(mutex_);
  return live_sessions_.size();
}

void ServerState::shutdown_live_sessions() {
  begin_shutdown();
  // Copy the handles under the lock, act outside it (chat-multi's broadcast pattern).
  std::vector<std::weak_ptr<LiveSession>> handles;
  {
    std::lock_guard lock(mutex_);
    handles.reserve(live_sessions_.size());
    for (const auto& [key, handle] : live_sessions_) handles.push_back(handle);
  }
  for (const auto& handle : handles) {
    if (auto session = handle.lock()) session->shutdown();
  }
}

}  // namespace evapo::server
