#include <thread>

#include <gtest/gtest.h>

#include <evapo/pipeline/request_json.hpp>
#include <evapo/storage/sqlite_database.hpp>
#include <evapo/tasks/sqlite_task_backend.hpp>

#include "test_support.hpp"

namespace evapo::tasks {
namespace {

using std::chrono::milliseconds;
using testing::temp_db_path;

class SqliteTaskBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = temp_db_path();
    reopen();
  }

  void reopen() {
    backend_.reset();
    auto db = storage::SqliteDatabase::open(path_);
    ASSERT_TRUE(db) << db.error().message;
    auto backend = SqliteTaskBackend::create(*db);
    ASSERT_TRUE(backend) << backend.error().message;
    backend_ = *backend;
  }

  TaskRecord submit(const std::string& id) {
    TaskRecord record;
    record.id = id;
    record.request = pipeline::request_to_json(testing::sample_request());
    record.created_at = record.updated_at = "2026-11-26T10:00:00.000Z";
    auto submitted = backend_->insert(record);
    EXPECT_TRUE(submitted) << submitted.error().message;
    EXPECT_TRUE(backend_->enqueue(id));
    return record;
  }

  std::string path_;
  std::shared_ptr<SqliteTaskBackend> backend_;
};

TEST_F(SqliteTaskBackendTest, SeqStartsAtOneAndIncreasesByOne) {
  submit("a");
  submit("b");
  for (int i = 0; i < 5; ++i) {
    auto event = backend_->append("a", EventType::progress, {{"step", "s"}, {"progress", i * 10}});
    ASSERT_TRUE(event && *event);
    EXPECT_EQ((*event)->seq, i + 1);
    EXPECT_EQ((*event)->ts.size(), 24U);  // 2026-11-26T10:12:46.123Z
  }
  auto other = backend_->append("b", EventType::progress, {{"step", "s"}});
  ASSERT_TRUE(other && *other);
  EXPECT_EQ((*other)->seq, 1) << "seq is per task";
  auto record = backend_->get("a");
  ASSERT_TRUE(record && *record);
  EXPECT_EQ((*record)->last_seq, 5);
  EXPECT_EQ((*record)->progress, 40);
  EXPECT_EQ((*record)->state, TaskState::processing);
  auto since = backend_->read("a", 2, 100);
  ASSERT_TRUE(since);
  ASSERT_EQ(since->size(), 3U);
  testing::expect_contiguous(*since, 3);
}

TEST_F(SqliteTaskBackendTest, RefusesEveryEventAfterTheTerminalOne) {
  submit("a");
  ASSERT_TRUE(backend_->append("a", EventType::progress, {{"step", "x"}}));
  auto success = backend_->append("a", EventType::success, {{"results", nlohmann::json::array()}});
  ASSERT_TRUE(success && *success);
  for (const EventType late : {EventType::progress, EventType::error, EventType::timeout,
                               EventType::cancelled, EventType::success}) {
    auto refused = backend_->append("a", late, nlohmann::json::object());
    ASSERT_TRUE(refused);
    EXPECT_FALSE(*refused) << to_string(late);
  }
  auto record = backend_->get("a");
  EXPECT_EQ((*record)->state, TaskState::success);
  EXPECT_EQ((*record)->progress, 100);
  EXPECT_TRUE((*record)->finished_at);
  EXPECT_TRUE((*record)->result);
  EXPECT_EQ((*record)->last_seq, 2);
}

TEST_F(SqliteTaskBackendTest, UnknownTaskIsNotFound) {
  auto appended = backend_->append("nope", EventType::progress, {});
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code, domain::ErrorCode::not_found);
  auto got = backend_->get("nope");
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
}

TEST_F(SqliteTaskBackendTest, ClaimsOldestFirstAndAckRemoves) {
  submit("first");
  submit("second");
  EXPECT_EQ(*backend_->depth(), 2);
  auto one = backend_->claim("w1", milliseconds(10000), milliseconds(0));
  ASSERT_TRUE(one && *one);
  EXPECT_EQ((*one)->task_id, "first");
  EXPECT_EQ((*one)->attempt, 1);
  auto two = backend_->claim("w2", milliseconds(10000), milliseconds(0));
  ASSERT_TRUE(two && *two);
  EXPECT_EQ((*two)->task_id, "second");
  auto none = backend_->claim("w3", milliseconds(10000), milliseconds(20));
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_EQ(*backend_->depth(), 0);
  ASSERT_TRUE(backend_->ack(**one));
  ASSERT_TRUE(backend_->ack(**two));
  EXPECT_FALSE(*backend_->claim("w3", milliseconds(10000), milliseconds(0)));
}

TEST_F(SqliteTaskBackendTest, ExpiredLeaseOfACrashedWorkerIsClaimedAgain) {
  submit("a");
  auto dead = backend_->claim("dead", milliseconds(50), milliseconds(0));
  ASSERT_TRUE(dead && *dead);
  // The dead worker never extends nor acks.
  EXPECT_FALSE(*backend_->claim("alive", milliseconds(10000), milliseconds(0)));
  std::this_thread::sleep_for(milliseconds(80));
  auto again = backend_->claim("alive", milliseconds(10000), milliseconds(0));
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->task_id, "a");
  EXPECT_EQ((*again)->attempt, 2);
  // The old owner has lost its claim.
  auto extended = backend_->extend(**dead, milliseconds(10000));
  ASSERT_FALSE(extended);
  EXPECT_EQ(extended.error().code, domain::ErrorCode::not_found);
  EXPECT_TRUE(backend_->extend(**again, milliseconds(10000)));
}

TEST_F(SqliteTaskBackendTest, ClaimWaitsForASubmit) {
  std::thread submitter([&] {
    std::this_thread::sleep_for(milliseconds(50));
    submit("late");
  });
  const auto before = std::chrono::steady_clock::now();
  auto claimed = backend_->claim("w", milliseconds(10000), milliseconds(3000));
  const auto waited = std::chrono::steady_clock::now() - before;
  submitter.join();
  ASSERT_TRUE(claimed && *claimed);
  EXPECT_EQ((*claimed)->task_id, "late");
  EXPECT_LT(waited, milliseconds(2000));
}

TEST_F(SqliteTaskBackendTest, FinishingEventTakesTaskOutOfTheQueue) {
  submit("a");
  ASSERT_TRUE(backend_->append("a", EventType::cancelled, {{"error", "x"}}));
  EXPECT_EQ(*backend_->depth(), 0);
  EXPECT_FALSE(*backend_->claim("w", milliseconds(1000), milliseconds(0)));
}

TEST_F(SqliteTaskBackendTest, StateAndLeasesSurviveReopenAndAbandonedClaimsAreReleased) {
  submit("a");
  submit("b");
  auto claimed = backend_->claim("old-process", milliseconds(600000), milliseconds(0));
  ASSERT_TRUE(claimed && *claimed);
  ASSERT_TRUE(backend_->append("a", EventType::progress, {{"step", "validating"}}));
  reopen();
  auto record = backend_->get("a");
  ASSERT_TRUE(record && *record);
  EXPECT_EQ((*record)->last_seq, 1);
  // Still leased to the dead process: only "b" is claimable until the release.
  EXPECT_EQ(*backend_->depth(), 1);
  auto released = backend_->release_abandoned_claims();
  ASSERT_TRUE(released);
  EXPECT_EQ(*released, 1);
  auto again = backend_->claim("new-process", milliseconds(10000), milliseconds(0));
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->task_id, "a");
  EXPECT_EQ((*again)->attempt, 2);
  auto next = backend_->append("a", EventType::progress, {{"step", "restarted"}});
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->seq, 2) << "the log continues after a restart";
}

TEST_F(SqliteTaskBackendTest, ListPagesFollowTheCursorWithoutGapOrRepeat) {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    ids.push_back("p" + std::to_string(i));
    submit(ids.back());
  }
  ASSERT_TRUE(backend_->append("p2", EventType::success, nlohmann::json::object()));
  ASSERT_TRUE(backend_->append("p5", EventType::success, nlohmann::json::object()));
  std::vector<std::string> seen;
  TaskListQuery query{.limit = 3};
  for (int page = 0; page < 10; ++page) {
    auto listed = backend_->list(query);
    ASSERT_TRUE(listed);
    EXPECT_LE(listed->tasks.size(), 3U);
    for (const auto& task : listed->tasks) seen.push_back(task.id);
    if (!listed->next_cursor) break;
    query.cursor = *listed->next_cursor;
    submit("late" + std::to_string(page));  // newer tasks do not shift the pages being read
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"p6", "p5", "p4", "p3", "p2", "p1", "p0"}));

  auto successes = backend_->list({.state = TaskState::success, .limit = 1});
  ASSERT_TRUE(successes && successes->next_cursor);
  EXPECT_EQ(successes->tasks.at(0).id, "p5");
  auto second =
      backend_->list({.state = TaskState::success, .limit = 1, .cursor = *successes->next_cursor});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->tasks.at(0).id, "p2");
  EXPECT_FALSE(second->next_cursor);

  for (const char* bad : {"x", "-1", "0", "12abc", "99999999999999999999999"}) {
    auto refused = backend_->list({.limit = 3, .cursor = bad});
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, domain::ErrorCode::invalid_argument);
  }
}

TEST_F(SqliteTaskBackendTest, ListsNewestFirstFiltersAndCounts) {
  for (const char* id : {"t1", "t2", "t3", "t4"}) submit(id);
  ASSERT_TRUE(backend_->append("t2", EventType::success, nlohmann::json::object()));
  ASSERT_TRUE(backend_->append("t3", EventType::error, nlohmann::json::object()));
  ASSERT_TRUE(backend_->mark_started("t4", 1));
  auto all = backend_->list({.limit = 10});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->tasks.size(), 4U);
  EXPECT_EQ(all->tasks[0].id, "t4");
  EXPECT_EQ(all->tasks[3].id, "t1");
  EXPECT_FALSE(all->next_cursor);
  auto done = backend_->list({.state = TaskState::success, .limit = 10});
  ASSERT_EQ(done->tasks.size(), 1U);
  EXPECT_EQ(done->tasks[0].id, "t2");
  EXPECT_FALSE(done->tasks[0].result) << "a list shows summaries";
  auto counts = backend_->count_by_state();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at(TaskState::queued), 1);
  EXPECT_EQ(counts->at(TaskState::processing), 1);
  EXPECT_EQ(counts->at(TaskState::success), 1);
  EXPECT_EQ(counts->at(TaskState::error), 1);
  EXPECT_EQ(counts->at(TaskState::timeout), 0);
  EXPECT_EQ(counts->at(TaskState::cancelled), 0);
  auto started = backend_->get("t4");
  EXPECT_TRUE((*started)->started_at);
}

TEST_F(SqliteTaskBackendTest, PruneDeletesOnlyOldFinishedTasksWithTheirEvents) {
  submit("done");
  submit("running");
  submit("waiting");
  ASSERT_TRUE(backend_->append("done", EventType::progress, {{"step", "x"}}));
  ASSERT_TRUE(backend_->append("done", EventType::success, nlohmann::json::object()));
  ASSERT_TRUE(backend_->append("running", EventType::progress, {{"step", "x"}}));
  const auto now = std::chrono::system_clock::now();
  auto none = backend_->prune(now - std::chrono::hours(1), 100);
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0) << "finished just now: kept";
  auto pruned = backend_->prune(now + std::chrono::hours(1), 100);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(*pruned, 1);
  EXPECT_FALSE(*backend_->get("done"));
  EXPECT_TRUE(backend_->read("done", 0, 100)->empty());
  EXPECT_TRUE(*backend_->get("running"));
  EXPECT_TRUE(*backend_->get("waiting"));
  EXPECT_EQ(backend_->read("running", 0, 100)->size(), 1U);
}

TEST_F(SqliteTaskBackendTest, DuplicateIdIsRejected) {
  submit("same");
  TaskRecord again;
  again.id = "same";
  again.created_at = again.updated_at = "2026-11-26T10:00:00.000Z";
  auto submitted = backend_->insert(again);
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, domain::ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace evapo::tasks
