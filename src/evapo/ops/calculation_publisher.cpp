#include <cmath>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/ops/activity.hpp>
#include <evapo/ops/calculation_publisher.hpp>

namespace evapo::ops {

namespace {

void publish_or_log(EventChannel& channel, EventType type, const nlohmann::json& data) {
  if (auto published = channel.publish(type, data); !published) {
    spdlog::warn("ops: {} not published: {}", to_string(type), published.error().message);
  }
}

constexpr std::size_t kTaskRefDigits = 12;

// About 11 km: where, not whose field.
nlohmann::json rounded_degrees(const nlohmann::json& value) {
  if (!value.is_number()) return nullptr;
  return std::round(value.get<double>() * 10.0) / 10.0;
}

// The point, dates and run time of a task from its record.
void add_record_fields(nlohmann::json& data, const tasks::TaskRecord& record) {
  const auto& request = record.request;
  for (const char* key : {"latitude", "longitude", "start_date", "end_date", "mode"}) {
    if (request.is_object() && request.contains(key)) data[key] = request[key];
  }
  for (const char* key : {"latitude", "longitude"}) {
    if (data.contains(key)) data[key] = rounded_degrees(data[key]);
  }
  data["attempts"] = record.attempts;
  data["duration_s"] = nullptr;
  if (record.started_at && record.finished_at) {
    const auto started = domain::parse_iso_utc_millis(*record.started_at);
    const auto finished = domain::parse_iso_utc_millis(*record.finished_at);
    if (started && finished) {
      data["duration_s"] = std::chrono::duration<double>(*finished - *started).count();
    }
  }
}

}  // namespace

std::string task_ref(std::string_view task_id) {
  return std::string(task_id.substr(0, kTaskRefDigits));
}

std::optional<nlohmann::json> success_summary_of(const std::string& wire) {
  // The summary holds numbers, null and dates only, so its first '}' closes it; a quote inside a
  // JSON string is escaped, so "summary":{ cannot appear inside one.
  const std::string_view key = "\"summary\":{";
  const auto at = wire.rfind(key);
  if (at == std::string::npos) return std::nullopt;
  const auto begin = at + key.size() - 1;
  const auto end = wire.find('}', begin);
  if (end == std::string::npos) return std::nullopt;
  auto summary = nlohmann::json::parse(wire.substr(begin, end - begin + 1), nullptr, false);
  if (summary.is_discarded() || !summary.is_object()) return std::nullopt;
  return summary;
}

void CalculationPublisher::set_task_lookup(TaskLookup lookup) {
  std::lock_guard lock(mutex_);
  lookup_ = std::move(lookup);
}

void CalculationPublisher::observe(const tasks::TaskEvent& event) {
  if (event.type == tasks::EventType::progress) {
    on_progress(event);
  } else {
    on_end(event);
  }
}

void CalculationPublisher::on_progress(const tasks::TaskEvent& event) {
  const nlohmann::json data = event.data();
  const std::string step = data.value("step", std::string());
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    auto [found, inserted] = running_.try_emplace(event.task_id);
    Running& running = found->second;
    if (inserted) running.started = std::chrono::steady_clock::now();
    if (step == "validating" && running.step != step) ++running.runs;
    if (const auto sources = data.find("sources"); sources != data.end() && sources->is_array()) {
      for (const auto& source : *sources) {
        running.source_states[source.value("source", std::string())] =
            source.value("state", std::string());
      }
    }
    changed = running.step != step;
    running.step = step;
  }
  if (!changed) return;
  if (step == "validating") volume_.add({.started = 1});
  publish_or_log(channel_, EventType::calculation_progress,
                 {{"task_ref", task_ref(event.task_id)},
                  {"step", step},
                  {"current_step", data.value("current_step", 0)},
                  {"total_steps", data.value("total_steps", 0)},
                  {"progress", data.value("progress", 0)},
                  {"task_seq", event.seq}});
}

void CalculationPublisher::on_end(const tasks::TaskEvent& event) {
  std::optional<Running> running;
  TaskLookup lookup;
  {
    std::lock_guard lock(mutex_);
    if (auto found = running_.find(event.task_id); found != running_.end()) {
      running = std::move(found->second);
      running_.erase(found);
    }
    lookup = lookup_;
  }
  VolumeCounts counts;
  if (running) {
    for (const auto& [source, state] : running->source_states) {
      if (state == "cached") ++counts.cache_hits;
      if (state == "cached" || state == "done" || state == "failed") ++counts.cache_lookups;
    }
  }
  const std::string state(tasks::to_string(tasks::state_after(event.type)));
  nlohmann::json data{
      {"task_ref", task_ref(event.task_id)}, {"state", state}, {"task_seq", event.seq}};
  // Its run as seen here (a task re-run after a restart of this process started before it).
  data["duration_s"] = nullptr;
  if (running) {
    data["duration_s"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - running->started).count();
    data["attempts"] = std::max(running->runs, 1);
  }

  if (event.type == tasks::EventType::success) {
    // Everything comes from the result's summary: reading the record back would parse the
    // year of results again.
    const auto summary = success_summary_of(*event.wire);
    for (const char* key : {"latitude", "longitude", "start_date", "end_date", "days",
                            "days_with_eto", "eto_mean_mm", "eto_total_mm"}) {
      data[key] = summary && summary->contains(key) ? (*summary)[key] : nullptr;
    }
    data["latitude"] = rounded_degrees(data["latitude"]);
    data["longitude"] = rounded_degrees(data["longitude"]);
    // A calculation that gives no summary (not the pipeline's): the point from its record.
    if (!summary && lookup) {
      if (const auto record = lookup(event.task_id)) add_record_fields(data, *record);
    }
    counts.succeeded = 1;
    counts.days = summary ? summary->value("days_with_eto", std::int64_t{0}) : 0;
    volume_.add(counts);
    publish_or_log(channel_, EventType::calculation_complete, data);
    publish_activity(channel_, "calculation", "succeeded", task_ref(event.task_id),
                     {{"latitude", data["latitude"]},
                      {"longitude", data["longitude"]},
                      {"days", data["days"]},
                      {"eto_mean_mm", data["eto_mean_mm"]},
                      {"duration_s", data["duration_s"]}});
    return;
  }
  // An error record is small: its point and dates are read from it.
  if (lookup) {
    if (const auto record = lookup(event.task_id)) add_record_fields(data, *record);
  }
  const nlohmann::json error = event.data();
  data["error_code"] = error.value("error_code", std::string("internal"));
  data["error"] = error.value("error", std::string());
  if (event.type == tasks::EventType::cancelled) {
    counts.cancelled = 1;
  } else {
    counts.failed = 1;
  }
  volume_.add(counts);
  publish_or_log(channel_, EventType::calculation_error, data);
  publish_activity(channel_, "calculation", state, task_ref(event.task_id),
                   {{"latitude", data.value("latitude", nlohmann::json())},
                    {"longitude", data.value("longitude", nlohmann::json())},
                    {"error_code", data["error_code"]}});
}

}  // namespace evapo::ops
