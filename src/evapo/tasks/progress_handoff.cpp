#include <evapo/tasks/progress_handoff.hpp>
#include <evapo/tasks/task_event.hpp>

namespace evapo::tasks {

void ProgressHandoff::report(const pipeline::Progress& progress) {
  std::string text = event_data_text(progress_data(progress));
  {
    std::lock_guard lock(mutex_);
    reports_.push_back(std::move(text));
  }
  changed_.notify_one();
}

void ProgressHandoff::finish(domain::Expected<std::string> result_text) {
  {
    std::lock_guard lock(mutex_);
    result_ = std::move(result_text);
  }
  changed_.notify_one();
}

domain::Expected<std::string> ProgressHandoff::drain(
    const std::function<void(std::string)>& publish) {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return !reports_.empty() || result_.has_value(); });
    if (reports_.empty()) return std::move(*result_);
    std::string report = std::move(reports_.front());
    reports_.pop_front();
    lock.unlock();
    publish(std::move(report));
    lock.lock();
  }
}

}  // namespace evapo::tasks
