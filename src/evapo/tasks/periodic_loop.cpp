#include <pthread.h>

#include <spdlog/spdlog.h>

#include <evapo/tasks/periodic_loop.hpp>
#include <evapo/tasks/thread_priority.hpp>

namespace evapo::tasks {

PeriodicLoop::PeriodicLoop(std::string name, std::chrono::milliseconds period,
                           std::function<void()> tick, LoopPriority priority)
    : name_(std::move(name)), period_(period), tick_(std::move(tick)), priority_(priority) {
  if (name_.size() > 15) name_.resize(15);
}

PeriodicLoop::~PeriodicLoop() {
  stop();
}

void PeriodicLoop::start() {
  if (thread_.joinable()) return;
  stop_.reset();
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), name_.c_str());
    if (priority_ == LoopPriority::idle) lower_this_thread_priority();
    while (!stop_.wait_for(period_)) {
      // A loop must outlive a bad tick: it is housekeeping, and the next tick may succeed.
      try {
        tick_();
      } catch (const std::exception& error) {
        spdlog::error("{}: {}", name_, error.what());
      } catch (...) {
        spdlog::error("{}: unknown exception", name_);
      }
    }
  });
}

void PeriodicLoop::stop() {
  stop_.request();
  if (thread_.joinable()) thread_.join();
}

}  // namespace evapo::tasks
