#pragma once

// Helpers of the operations tests: a temporary directory, a channel on it, a subscriber that
// records what it receives, and waiting on a condition with a generous deadline.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/ops/embedded_event_channel.hpp>
#include <evapo/storage/sqlite_database.hpp>

namespace evapo::ops::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("evapo_ops_" + name + "_" + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::shared_ptr<EmbeddedEventChannel> open_channel(
    const std::filesystem::path& file, BacklogLimits limits = {},
    std::function<std::chrono::system_clock::time_point()> clock = nullptr) {
  auto db = storage::SqliteDatabase::open(file.string());
  if (!db) throw std::runtime_error(db.error().message);
  EmbeddedEventChannel::Options options{.node = "test-node", .limits = limits};
  if (clock) options.clock = std::move(clock);
  auto channel = EmbeddedEventChannel::open(std::move(*db), std::move(options));
  if (!channel) throw std::runtime_error(channel.error().message);
  return *channel;
}

/// Polls `condition` until true or `timeout` (generous: the CI machine is loaded).
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

/// Records every event delivered to it.
class Recorder {
 public:
  OpsEventHandler handler() {
    return [this](const std::vector<OpsEventPtr>& events) {
      std::lock_guard lock(mutex_);
      for (const auto& event : events) events_.push_back(event);
    };
  }
  std::vector<OpsEventPtr> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }
  std::vector<std::int64_t> seqs() const {
    std::vector<std::int64_t> out;
    for (const auto& event : events()) out.push_back(event->seq);
    return out;
  }
  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& event : events()) out.push_back(event->type);
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<OpsEventPtr> events_;
};

/// 1, 2, ... n shifted to start at `first`.
inline std::vector<std::int64_t> consecutive(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> out;
  for (std::int64_t seq = first; seq <= last; ++seq) out.push_back(seq);
  return out;
}

}  // namespace evapo::ops::testing
