#pragma once

namespace evapo::tasks {

/// Housekeeping a backend needs beside the task service (SQLite: WAL checkpoints; Redis: the
/// queue reconciler). TaskService starts it with its workers and stops it after them.
class BackgroundWork {
 public:
  virtual ~BackgroundWork() = default;
  /// Starts the work's thread (idempotent).
  virtual void start() = 0;
  /// Stops and joins it (idempotent); called before the backend is destroyed.
  virtual void stop() = 0;
};

}  // namespace evapo::tasks
