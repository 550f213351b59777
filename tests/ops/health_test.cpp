// The health rules, case by case.

#include <gtest/gtest.h>

#include <evapo/ops/health.hpp>

namespace evapo::ops {
namespace {

using namespace std::chrono_literals;

// Feeds `pattern` ('x' failed, '.' succeeded) and returns the states it changed to.
std::vector<Health> feed(SourceHealthTracker& tracker, std::string_view pattern) {
  std::vector<Health> changes;
  for (char c : pattern) {
    if (auto changed = tracker.record(c == 'x')) changes.push_back(*changed);
  }
  return changes;
}

TEST(SourceHealth, FewerThanFiveAttemptsAreNotJudged) {
  SourceHealthTracker tracker;
  EXPECT_TRUE(feed(tracker, "xxxx").empty());
  EXPECT_EQ(tracker.state(), Health::healthy);
  EXPECT_EQ(feed(tracker, "x"), std::vector<Health>{Health::down});
}

TEST(SourceHealth, HalfTheLastTwentyFailedIsDownATenthIsDegraded) {
  struct Case {
    const char* pattern;
    Health expected;
  };
  const Case cases[] = {
      {"....................", Health::healthy},
      {"...................x", Health::healthy},   // 5 %
      {"..................xx", Health::degraded},  // 10 %
      {"..........xxxxxxxxx.", Health::degraded},  // 45 %
      {"..........xxxxxxxxxx", Health::down},      // 50 %
      // Only the last 20 count: 20 failures long ago, then 20 successes... after down, the
      // recovery rule applies (see below), so start from healthy here.
      {"xx..................................", Health::healthy},
  };
  for (const auto& c : cases) {
    SourceHealthTracker tracker;
    feed(tracker, c.pattern);
    EXPECT_EQ(tracker.state(), c.expected) << c.pattern;
  }
}

TEST(SourceHealth, ADownSourceComesBackAfterFiveStraightSuccessesWithAFreshWindow) {
  SourceHealthTracker tracker;
  EXPECT_EQ(feed(tracker, "xxxxx"), std::vector<Health>{Health::down});
  // Successes alone would pass through "degraded" (the share falls from 50 % to 0 %); the
  // recovery rule brings it straight back.
  EXPECT_EQ(feed(tracker, "...."), std::vector<Health>{});
  EXPECT_EQ(tracker.state(), Health::down);
  EXPECT_EQ(feed(tracker, "."), std::vector<Health>{Health::healthy});
  EXPECT_EQ(tracker.failed_share(), 0.0);
  EXPECT_EQ(tracker.attempts_in_window(), 5U);
  // With successes before, failures pass through degraded on the way down.
  SourceHealthTracker history;
  EXPECT_EQ(feed(history, ".....xxxxx"), (std::vector<Health>{Health::degraded, Health::down}));
  // Interrupted streaks keep it down.
  SourceHealthTracker flaky;
  feed(flaky, "xxxxx");
  EXPECT_EQ(feed(flaky, "....x....x....x"), std::vector<Health>{});
  EXPECT_EQ(flaky.state(), Health::down);
}

TEST(WorkerHealth, SilentForMoreThanThreeHeartbeatsIsDown) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  EXPECT_EQ(worker_health(now - 2s, now, 2s), Health::healthy);
  EXPECT_EQ(worker_health(now - 6s, now, 2s), Health::healthy);
  EXPECT_EQ(worker_health(now - 6001ms, now, 2s), Health::down);
}

TEST(StoreAndQueueHealth, ByAnswerLatencyAndDepth) {
  EXPECT_EQ(store_health(true, 3ms), Health::healthy);
  EXPECT_EQ(store_health(true, 1500ms), Health::degraded);
  EXPECT_EQ(store_health(false, 3ms), Health::down);
  EXPECT_EQ(queue_health(0), Health::healthy);
  EXPECT_EQ(queue_health(500), Health::healthy);
  EXPECT_EQ(queue_health(501), Health::degraded);
  EXPECT_EQ(queue_health(std::nullopt), Health::down);
}

}  // namespace
}  // namespace evapo::ops
