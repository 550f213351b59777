#pragma once

// The daily runs of monitored sites. Each tick, for every site whose local run time has come,
// the run of (site, local date) is claimed in the store: the claim is a unique key, so however
// many serve nodes tick, one of them submits the day's calculations. Local days and times are
// the site's time zone's (site_time_zone), the one its calculations' days are in. A site whose last
// run is older than yesterday (the service was down) gets a recent window wide enough to cover the
// missed days. Later ticks take the finished tasks' days into the site's history.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <evapo/domain/error.hpp>
#include <evapo/pipeline/calculation.hpp>
#include <evapo/sites/site_settings.hpp>
#include <evapo/storage/site_store.hpp>
#include <evapo/tasks/task_record.hpp>

namespace evapo::sites {

/// What the scheduler needs of the task service.
struct SchedulerTasks {
  /// Submits a calculation; returns its task id.
  std::function<domain::Expected<std::string>(const pipeline::CalculationRequest&)> submit;
  /// The task, or nullopt when unknown.
  std::function<domain::Expected<std::optional<tasks::TaskRecord>>(const std::string&)> get;
};

struct SchedulerOptions {
  std::string node;  // this process, recorded with its claims
  std::chrono::milliseconds period{std::chrono::seconds(30)};
  /// A claimed run with no task after this long (its node stopped between claim and submit)
  /// is closed as failed; the next day's run covers its days.
  std::chrono::milliseconds orphan_after{std::chrono::minutes(5)};
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
};

/// What one tick did (for logs and tests).
struct TickReport {
  int claimed = 0;   // runs this tick claimed and submitted
  int finished = 0;  // runs whose days went into the history
};

/// The instant the site's run of local day `date` is due: its local_time that day in `zone`
/// (on a daylight-saving change, the wall-clock time read with the offset in force then).
std::chrono::system_clock::time_point run_time(const SiteSettings& settings,
                                               const domain::TimeZone& zone, domain::Date date);

/// The local date of the run due at `now`: today once the local run time has passed, else
/// yesterday.
domain::Date due_date(const SiteSettings& settings, const domain::TimeZone& zone,
                      std::chrono::system_clock::time_point now);

/// When the next run will be claimed: the run time of the day after `last_run_date` (or of
/// the due date when that has no run yet), as a UTC time point.
std::chrono::system_clock::time_point next_run_at(const SiteSettings& settings,
                                                  const domain::TimeZone& zone,
                                                  std::optional<domain::Date> last_run_date,
                                                  std::chrono::system_clock::time_point now);

class SiteScheduler {
 public:
  SiteScheduler(std::shared_ptr<storage::SiteStore> store, SchedulerTasks tasks,
                SchedulerOptions options);
  ~SiteScheduler();  // stop()

  /// One pass at `now`: claims and submits the runs due, then harvests finished ones.
  domain::Expected<TickReport> tick(std::chrono::system_clock::time_point now);

  /// A thread that ticks every options.period with options.clock (idempotent).
  void start();
  void stop();

 private:
  domain::Expected<bool> run_if_due(const storage::SiteRecord& site,
                                    std::chrono::system_clock::time_point now);
  domain::Expected<bool> harvest(const storage::SiteRun& run,
                                 std::chrono::system_clock::time_point now);

  std::shared_ptr<storage::SiteStore> store_;
  SchedulerTasks tasks_;
  SchedulerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace evapo::sites
