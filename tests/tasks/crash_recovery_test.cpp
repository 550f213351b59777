#include <csignal>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <evapo/tasks/task_service.hpp>

#include "test_support.hpp"

namespace evapo::tasks {
namespace {

using std::chrono::milliseconds;

// A child process runs a task up to its fourth step and is killed with SIGKILL mid-task. The
// next process must run the task again, continue its event log without a hole and end it with
// exactly one terminal event.
TEST(CrashRecovery, TaskRunningAtKillNineCompletesAfterRestart) {
  const std::string path = testing::temp_db_path();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    testing::FakeCalculation holding;
    holding.hold_at_step = 3;
    holding.ignore_cancel = true;
    TaskServiceOptions options;
    options.workers = 1;
    options.calculation = holding.function();
    auto service = testing::open_service(std::move(options), path);
    if (!service) ::_exit(2);
    auto submitted = (*service)->submit(testing::sample_request());
    if (!submitted) ::_exit(3);
    (*service)->start();
    if (!holding.wait_until_held(1, std::chrono::seconds(10))) ::_exit(4);
    if (!testing::wait_for_seq(**service, submitted->id, 4)) ::_exit(7);
    const std::string id = submitted->id + "\n";
    if (::write(ready[1], id.data(), id.size()) != static_cast<ssize_t>(id.size())) ::_exit(5);
    ::pause();  // until killed
    ::_exit(6);
  }
  ::close(ready[1]);
  std::string id;
  char c = 0;
  while (::read(ready[0], &c, 1) == 1 && c != '\n') id.push_back(c);
  ::close(ready[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_EQ(id.size(), 32U) << "child failed before running the task, status " << status;
  ASSERT_TRUE(WIFSIGNALED(status));

  testing::FakeCalculation calculation;
  TaskServiceOptions options;
  options.workers = 1;
  options.calculation = calculation.function();
  auto service = testing::open_service(std::move(options), path);
  ASSERT_TRUE(service) << service.error().message;
  auto before = (*service)->get(id);
  ASSERT_TRUE(before && *before);
  EXPECT_EQ((*before)->state, TaskState::processing);
  EXPECT_EQ((*before)->last_seq, 4) << "the four steps published before the kill were kept";
  (*service)->start();
  testing::EventCollector collector;
  auto subscription = (*service)->subscribe(id, 0, collector.handler());
  ASSERT_TRUE(subscription);
  ASSERT_TRUE(collector.wait_for_terminal());
  const auto events = collector.events();
  testing::expect_contiguous(events);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(4 + 1 + pipeline::kTotalSteps + 1));
  EXPECT_EQ(events[4].data()["step"], "restarted");
  EXPECT_EQ(events.back().type, EventType::success);
  EXPECT_EQ(testing::terminal_count(events), 1);
  EXPECT_EQ((*(*service)->get(id))->attempts, 2);
}

}  // namespace
}  // namespace evapo::tasks
