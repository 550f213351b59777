#pragma once

// The embedded operations channel: every event is written to SQLite (ops_event_store.hpp) before
// it is handed to the in-memory fan-out (event_fanout.hpp), which keeps the backlog and
// delivers, so a replay never reads the disk and publishing never waits for subscribers.

#include <chrono>
#include <functional>
#include <memory>

#include <evapo/ops/event_channel.hpp>
#include <evapo/storage/sqlite_database.hpp>

namespace evapo::ops {

class EmbeddedEventChannel final : public EventChannel {
 public:
  struct Options {
    std::string node{};
    BacklogLimits limits{};
    std::function<std::chrono::system_clock::time_point()> clock = [] {
      return std::chrono::system_clock::now();
    };
  };

  /// Opens the channel on `db` (migrating it), loads the kept backlog and continues its seq.
  /// Errors: internal on a schema problem, unavailable when the database cannot be read.
  static domain::Expected<std::shared_ptr<EmbeddedEventChannel>> open(
      std::shared_ptr<storage::SqliteDatabase> db, Options options);

  ~EmbeddedEventChannel() override;

  domain::Expected<OpsEventPtr> publish_text(EventType type, std::string data_text) override;
  domain::Expected<tasks::Subscription> subscribe(TopicSet topics,
                                                  std::optional<std::int64_t> since_seq,
                                                  OpsEventHandler handler) override;
  domain::Expected<std::vector<OpsEventPtr>> recent(TopicSet topics, int limit) override;
  std::int64_t head_seq() const override;
  std::int64_t subscriber_count() const override;
  const std::string& node() const override;

  /// Seq of the oldest event kept (head + 1 when none); for tests.
  std::int64_t oldest_seq() const;

  struct Core;

 private:
  explicit EmbeddedEventChannel(std::shared_ptr<Core> core);
  std::shared_ptr<Core> core_;
};

}  // namespace evapo::ops
