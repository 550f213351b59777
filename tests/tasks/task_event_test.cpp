#include <gtest/gtest.h>

#include <evapo/tasks/task_event.hpp>
#include <evapo/tasks/task_record.hpp>
#include <evapo/tasks/task_state.hpp>

namespace evapo::tasks {
namespace {

TEST(TaskEvent, TypeNamesRoundTripAndOnlyProgressIsOpen) {
  const struct {
    EventType type;
    const char* name;
    bool terminal;
    TaskState state;
  } cases[] = {{EventType::progress, "PROGRESS", false, TaskState::processing},
               {EventType::success, "SUCCESS", true, TaskState::success},
               {EventType::error, "ERROR", true, TaskState::error},
               {EventType::timeout, "TIMEOUT", true, TaskState::timeout},
               {EventType::cancelled, "CANCELLED", true, TaskState::cancelled}};
  for (const auto& c : cases) {
    EXPECT_EQ(to_string(c.type), c.name);
    EXPECT_EQ(parse_event_type(c.name), c.type);
    EXPECT_EQ(is_terminal(c.type), c.terminal) << c.name;
    EXPECT_EQ(state_after(c.type), c.state) << c.name;
  }
  EXPECT_FALSE(parse_event_type("progress"));
}

TEST(TaskState, NamesRoundTripAndTerminality) {
  const struct {
    TaskState state;
    const char* name;
    bool terminal;
  } cases[] = {{TaskState::queued, "queued", false},  {TaskState::processing, "processing", false},
               {TaskState::success, "success", true}, {TaskState::error, "error", true},
               {TaskState::timeout, "timeout", true}, {TaskState::cancelled, "cancelled", true}};
  for (const auto& c : cases) {
    EXPECT_EQ(to_string(c.state), c.name);
    EXPECT_EQ(parse_task_state(c.name), c.state);
    EXPECT_EQ(is_terminal(c.state), c.terminal) << c.name;
  }
  EXPECT_FALSE(parse_task_state("pending"));
}

TEST(TaskEvent, SerialisesExactlyTheIssueFourMessage) {
  const TaskEvent event = make_event("abc", 3, EventType::progress, "2026-11-26T10:12:46.123Z",
                                     event_data_text({{"step", "fusing"}}));
  const auto json = nlohmann::json::parse(serialize(event));
  EXPECT_EQ(json, (nlohmann::json{{"type", "PROGRESS"},
                                  {"task_id", "abc"},
                                  {"seq", 3},
                                  {"ts", "2026-11-26T10:12:46.123Z"},
                                  {"data", {{"step", "fusing"}}}}));
  EXPECT_EQ(json.size(), 5U);
}

TEST(TaskEvent, WireTextMatchesDumpingTheWholeMessage) {
  const nlohmann::json data{{"results", {{{"date", "2024-01-01"}, {"eto_mm", 4.25}}}},
                            {"warnings", {"caf\u00e9 \"quoted\""}},
                            {"location", {{"latitude", -22.7}}}};
  const TaskEvent event = make_event("0123abcd", 12, EventType::success, "2026-11-26T10:12:46.123Z",
                                     event_data_text(data));
  const nlohmann::json whole{{"type", "SUCCESS"},
                             {"task_id", "0123abcd"},
                             {"seq", 12},
                             {"ts", "2026-11-26T10:12:46.123Z"},
                             {"data", data}};
  EXPECT_EQ(serialize(event), whole.dump());
  EXPECT_EQ(wire_text(event), event.wire) << "shared, not copied";
  EXPECT_EQ(event.data(), data);
}

TEST(TaskEvent, DataTextReplacesBytesThatAreNotUtf8) {
  const std::string text = event_data_text({{"error", std::string("bad \xff byte")}});
  EXPECT_TRUE(nlohmann::json::accept(text)) << text;
}

TEST(TaskEvent, ProgressDataCarriesStepsAndSources) {
  pipeline::Progress progress;
  progress.step = "downloading";
  progress.progress = 40;
  progress.current_step = 3;
  progress.total_steps = 7;
  progress.message = "fetching";
  progress.sources = {{domain::SourceId::nasa_power, "done", ""},
                      {domain::SourceId::open_meteo_archive, "failed", "HTTP 503"}};
  const auto data = progress_data(progress);
  EXPECT_EQ(data["step"], "downloading");
  EXPECT_EQ(data["progress"], 40);
  EXPECT_EQ(data["current_step"], 3);
  EXPECT_EQ(data["total_steps"], 7);
  EXPECT_EQ(data["message"], "fetching");
  ASSERT_EQ(data["sources"].size(), 2U);
  EXPECT_EQ(data["sources"][1],
            (nlohmann::json{
                {"source", "open_meteo_archive"}, {"state", "failed"}, {"message", "HTTP 503"}}));
}

TEST(TaskEvent, ErrorDataAndTerminalTypeFollowTheErrorCode) {
  const auto data = error_data(domain::Error::invalid_argument("bad", {{"latitude", "> 90"}}));
  EXPECT_EQ(data, (nlohmann::json{{"error", "bad"},
                                  {"error_code", "invalid_argument"},
                                  {"details", {{{"field", "latitude"}, {"reason", "> 90"}}}}}));
  EXPECT_EQ(terminal_type_for(domain::ErrorCode::timeout), EventType::timeout);
  EXPECT_EQ(terminal_type_for(domain::ErrorCode::cancelled), EventType::cancelled);
  EXPECT_EQ(terminal_type_for(domain::ErrorCode::upstream), EventType::error);
  EXPECT_EQ(terminal_type_for(domain::ErrorCode::internal), EventType::error);
}

TEST(TaskRecord, JsonHasStatusAndNullTimesUntilKnown) {
  TaskRecord record;
  record.id = "t1";
  record.created_at = record.updated_at = "2026-11-26T10:00:00.000Z";
  auto json = to_json(record);
  EXPECT_EQ(json["task_id"], "t1");
  EXPECT_EQ(json["status"], "queued");
  EXPECT_TRUE(json["started_at"].is_null());
  EXPECT_FALSE(json.contains("result"));
  record.state = TaskState::success;
  record.result = nlohmann::json{{"results", nlohmann::json::array()}};
  record.finished_at = "2026-11-26T10:00:01.000Z";
  json = to_json(record);
  EXPECT_EQ(json["status"], "success");
  EXPECT_EQ(json["finished_at"], "2026-11-26T10:00:01.000Z");
  EXPECT_TRUE(json.contains("result"));
}

}  // namespace
}  // namespace evapo::tasks
