#include <evapo/tasks/task_record.hpp>

namespace evapo::tasks {

nlohmann::json to_json(const TaskRecord& record) {
  nlohmann::json json{{"task_id", record.id},
                      {"status", to_string(record.state)},
                      {"request", record.request},
                      {"created_at", record.created_at},
                      {"updated_at", record.updated_at},
                      {"started_at", nullptr},
                      {"finished_at", nullptr},
                      {"progress", record.progress},
                      {"step", record.step},
                      {"last_seq", record.last_seq},
                      {"attempts", record.attempts}};
  if (record.started_at) json["started_at"] = *record.started_at;
  if (record.finished_at) json["finished_at"] = *record.finished_at;
  if (record.result) json["result"] = *record.result;
  if (record.error) json["error"] = *record.error;
  return json;
}

}  // namespace evapo::tasks
