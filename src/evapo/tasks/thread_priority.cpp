#include <cerrno>
#include <cstring>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <evapo/tasks/thread_priority.hpp>

namespace evapo::tasks {

void lower_this_thread_priority() {
  sched_param none{};
  if (sched_setscheduler(gettid(), SCHED_IDLE, &none) == 0) return;
  constexpr int kBatchNice = 10;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kBatchNice) != 0) {
    spdlog::warn("calculation thread keeps its priority: setpriority: {}", std::strerror(errno));
  }
}

}  // namespace evapo::tasks
