// GET /api/v1/tasks: summaries only, a bounded page, a cursor to the next one (issue 11 §4.2: a
// list of 873 year-long tasks was a 104 MB answer that took the server to 2 GB).

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

// Waits (generously: CI is a loaded 2-core machine) until no task is queued or running.
void wait_until_all_finished(RunningServer& server, std::chrono::seconds deadline) {
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < give_up) {
    auto counts = server.tasks().counts();
    ASSERT_TRUE(counts);
    if (counts->by_state.at(tasks::TaskState::queued) == 0 &&
        counts->by_state.at(tasks::TaskState::processing) == 0) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL() << "tasks still running after " << deadline.count() << " s";
}

TEST(TaskList, PagesOfSummariesFollowTheCursorAndStaySmallWhateverTheResults) {
  ServerConfig config;
  config.rate_limit_per_s = 0;
  RunningServer server(config);
  constexpr int kTasks = 45;
  const std::string year =
      R"({"latitude":39.5,"longitude":-118.8,"start_date":"2015-01-01","end_date":"2015-12-31"})";
  std::set<std::string> submitted;
  for (int i = 0; i < kTasks; ++i) submitted.insert(server.submit(year));
  wait_until_all_finished(server, std::chrono::seconds(120));

  const std::string one = *submitted.begin();
  const auto full = http_get(server.port(), "/api/v1/tasks/" + one);
  ASSERT_EQ(full.status, 200U);
  ASSERT_EQ(full.json().at("result").at("results").size(), 365U);

  std::set<std::string> listed;
  std::string target = "/api/v1/tasks?limit=20";
  int pages = 0;
  while (true) {
    const auto page = http_get(server.port(), target);
    ASSERT_EQ(page.status, 200U) << page.body;
    // A summary is a few hundred bytes; a result of a year is tens of KB.
    EXPECT_LT(page.body.size(), 20U * 1024U) << "page " << pages;
    const auto body = page.json();
    EXPECT_LE(body.at("tasks").size(), 20U);
    for (const auto& task : body.at("tasks")) {
      EXPECT_FALSE(task.contains("result"));
      EXPECT_EQ(task.at("status"), "success");
      EXPECT_TRUE(listed.insert(task.at("task_id").get<std::string>()).second) << "repeated";
    }
    ++pages;
    if (body.at("next_cursor").is_null()) break;
    target = "/api/v1/tasks?limit=20&cursor=" + body.at("next_cursor").get<std::string>();
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, submitted);

  const auto default_page = http_get(server.port(), "/api/v1/tasks").json();
  EXPECT_EQ(default_page.at("tasks").size(), 45U);
  EXPECT_TRUE(default_page.at("next_cursor").is_null());
}

TEST(TaskList, OutOfBoundsPagesAndForeignCursorsAre422) {
  RunningServer server;
  for (const char* query : {"limit=0", "limit=101", "limit=1000", "limit=x", "cursor=abc",
                            "cursor=-5", "status=bogus", "cursor=%ff"}) {
    const auto answer = http_get(server.port(), std::string("/api/v1/tasks?") + query);
    EXPECT_EQ(answer.status, 422U) << query << " " << answer.body;
    EXPECT_EQ(answer.json()["error"]["code"], "VALIDATION_ERROR") << query;
  }
  EXPECT_EQ(http_get(server.port(), "/api/v1/tasks?limit=100").status, 200U);
}

}  // namespace
}  // namespace evapo::server::testing
