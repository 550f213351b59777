#include <cmath>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <evapo/sites/site_scheduler.hpp>
#include <evapo/tasks/task_state.hpp>

namespace evapo::sites {

namespace {

using Clock = std::chrono::system_clock;

// The smallest recent window that reaches back to the day after the last run.
int window_days(const SiteSettings& settings, std::optional<domain::Date> last_run,
                domain::Date due) {
  const int missed = last_run ? domain::days_between(*last_run, due) : 1;
  int days = settings.recent_days;
  for (const int window : pipeline::kRecentWindowDays) {
    if (window >= std::max(settings.recent_days, missed)) {
      days = window;
      break;
    }
    days = window;  // the widest when even it is short
  }
  return days;
}

}  // namespace

Clock::time_point run_time(const SiteSettings& settings, const domain::TimeZone& zone,
                           domain::Date date) {
  const auto wall =
      Clock::time_point{std::chrono::sys_days{date}} + std::chrono::minutes(settings.local_minute);
  // The offset in force near that wall-clock time: read at the instant it would be without it.
  const auto guess = std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch());
  const int offset_s = zone.utc_offset_s(guess.count() - zone.utc_offset_s(guess.count()));
  return wall - std::chrono::seconds(offset_s);
}

domain::Date due_date(const SiteSettings& settings, const domain::TimeZone& zone,
                      Clock::time_point now) {
  const domain::Date today = zone.local_date(now);
  return now >= run_time(settings, zone, today) ? today : domain::add_days(today, -1);
}

Clock::time_point next_run_at(const SiteSettings& settings, const domain::TimeZone& zone,
                              std::optional<domain::Date> last_run_date, Clock::time_point now) {
  domain::Date next = due_date(settings, zone, now);
  if (last_run_date && *last_run_date >= next) next = domain::add_days(*last_run_date, 1);
  return run_time(settings, zone, next);
}

SiteScheduler::SiteScheduler(std::shared_ptr<storage::SiteStore> store, SchedulerTasks tasks,
                             SchedulerOptions options)
    : store_(std::move(store)), tasks_(std::move(tasks)), options_(std::move(options)) {}

SiteScheduler::~SiteScheduler() {
  stop();
}

domain::Expected<bool> SiteScheduler::run_if_due(const storage::SiteRecord& site,
                                                 Clock::time_point now) {
  auto settings = parse_stored(site.settings_json);
  if (!settings) return domain::fail(settings.error());
  const domain::TimeZone zone = site_time_zone(*settings);
  const domain::Date due = due_date(*settings, zone, now);
  // A site does not run for days before it existed.
  const auto created = domain::parse_iso_utc_millis(site.created_at);
  if (created && due < zone.local_date(*created)) return false;
  auto last = store_->last_run(site.id);
  if (!last) return domain::fail(last.error());
  std::optional<domain::Date> last_date;
  if (*last) last_date = domain::parse_iso_date((*last)->local_date);
  if (last_date && *last_date >= due) return false;

  storage::SiteRun run{.site_id = site.id,
                       .local_date = domain::format_iso_date(due),
                       .node = options_.node,
                       .claimed_at = domain::format_iso_utc_millis(now),
                       .tasks_json = "[]",
                       .finished_at = std::nullopt,
                       .outcome = ""};
  auto claimed = store_->claim_run(run);
  if (!claimed) return domain::fail(claimed.error());
  if (!*claimed) return false;  // another node (or tick) has it

  nlohmann::json submitted = nlohmann::json::array();
  std::vector<std::string> failures;
  auto submit = [&](pipeline::Mode mode, int days) {
    auto request = pipeline::request_for_mode(settings->latitude_deg, settings->longitude_deg, mode,
                                              days, due);
    request.sources = settings->sources;
    request.elevation_m = settings->elevation_m;
    auto task = tasks_.submit(request);
    if (task) {
      submitted.push_back({{"mode", pipeline::to_string(mode)}, {"task_id", *task}});
    } else {
      failures.push_back(fmt::format("{}: {}", pipeline::to_string(mode), task.error().message));
    }
  };
  if (settings->recent) submit(pipeline::Mode::recent, window_days(*settings, last_date, due));
  if (settings->forecast) submit(pipeline::Mode::forecast, 0);
  if (submitted.empty()) {
    std::string outcome = "failed:";
    for (const auto& failure : failures) outcome += " " + failure;
    auto closed = store_->finish_run(site.id, run.local_date, outcome,
                                     domain::format_iso_utc_millis(now), {});
    if (!closed) return domain::fail(closed.error());
    return true;
  }
  auto recorded = store_->set_run_tasks(site.id, run.local_date, submitted.dump());
  if (!recorded) return domain::fail(recorded.error());
  return true;
}

domain::Expected<bool> SiteScheduler::harvest(const storage::SiteRun& run, Clock::time_point now) {
  const auto submitted = nlohmann::json::parse(run.tasks_json, nullptr, false);
  const std::string finished_at = domain::format_iso_utc_millis(now);
  if (!submitted.is_array() || submitted.empty()) {
    const auto claimed = domain::parse_iso_utc_millis(run.claimed_at);
    if (claimed && now - *claimed < options_.orphan_after) return false;
    auto closed = store_->finish_run(run.site_id, run.local_date,
                                     "failed: no calculation was submitted (the node stopped)",
                                     finished_at, {});
    if (!closed) return domain::fail(closed.error());
    return true;
  }
  std::vector<storage::SiteDay> days;
  std::vector<std::string> failures;
  std::set<std::string> seen;
  for (const auto& item : submitted) {
    const std::string task_id = item.value("task_id", "");
    auto record = tasks_.get(task_id);
    if (!record) return domain::fail(record.error());
    if (!*record) {
      failures.push_back(item.value("mode", "") + ": task " + task_id + " is gone");
      continue;
    }
    if (!tasks::is_terminal((*record)->state)) return false;  // look again next tick
    if ((*record)->state != tasks::TaskState::success || !(*record)->result) {
      const auto& error = (*record)->error;
      failures.push_back(item.value("mode", "") + ": " +
                         (error ? error->value("error", std::string("failed")) : "failed"));
      continue;
    }
    for (const auto& day : (*record)->result->value("results", nlohmann::json::array())) {
      const std::string date = day.value("date", "");
      if (date.empty() || !seen.insert(date).second) continue;
      const auto& eto = day.contains("eto_mm") ? day["eto_mm"] : nlohmann::json();
      days.push_back(storage::SiteDay{
          .date = date,
          .eto_mm = eto.is_number() ? eto.get<double>() : std::nan(""),
          .kind = date < run.local_date ? "observed" : "forecast",
          .detail_json = nlohmann::json{{"quality", day.value("quality", nlohmann::json())},
                                        {"sources", day.value("sources", nlohmann::json::array())}}
                             .dump(),
          .task_id = task_id,
          .updated_at = finished_at});
    }
  }
  std::string outcome = "ok";
  if (!failures.empty()) {
    outcome = days.empty() ? "failed:" : "partial:";
    for (const auto& failure : failures) outcome += " " + failure;
  }
  auto closed = store_->finish_run(run.site_id, run.local_date, outcome, finished_at, days);
  if (!closed) return domain::fail(closed.error());
  return true;
}

domain::Expected<TickReport> SiteScheduler::tick(Clock::time_point now) {
  TickReport report;
  auto sites = store_->list(std::nullopt);
  if (!sites) return domain::fail(sites.error());
  for (const auto& site : *sites) {
    auto ran = run_if_due(site, now);
    if (!ran) {
      spdlog::warn("site {}: scheduled run not started: {}", site.id, ran.error().message);
      continue;
    }
    if (*ran) ++report.claimed;
  }
  constexpr int kRunsPerTick = 200;
  auto open = store_->open_runs(kRunsPerTick);
  if (!open) return domain::fail(open.error());
  for (const auto& run : *open) {
    auto done = harvest(run, now);
    if (!done) {
      spdlog::warn("site {}: run {} not harvested: {}", run.site_id, run.local_date,
                   done.error().message);
      continue;
    }
    if (*done) ++report.finished;
  }
  return report;
}

void SiteScheduler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock guard(mutex_);
    while (!stopping_) {
      guard.unlock();
      // No exception may end the serving process: the tick is logged and the next one tried.
      try {
        if (auto ticked = tick(options_.clock()); !ticked) {
          spdlog::warn("site scheduler: {}", ticked.error().message);
        }
      } catch (const std::exception& error) {
        spdlog::error("site scheduler: unexpected exception: {}", error.what());
      }
      guard.lock();
      wake_.wait_for(guard, options_.period, [this] { return stopping_; });
    }
  });
}

void SiteScheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace evapo::sites
