#include <chrono>
#include <sstream>

#include <spdlog/spdlog.h>

#include <evapo/domain/date.hpp>
#include <evapo/ops/activity.hpp>
#include <evapo/ops/priors_registry.hpp>

namespace evapo::ops {

using domain::Error;
using domain::Expected;
using domain::fail;

namespace {

constexpr int kListed = 20;
constexpr std::size_t kMaxCsvBytes = 256 * 1024;

std::string now_iso() {
  return domain::format_iso_utc_millis(std::chrono::system_clock::now());
}

}  // namespace

int priors_csv_rows(std::string_view csv) {
  std::istringstream in{std::string(csv)};
  std::string line;
  int rows = -1;  // the header
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++rows;
  }
  return std::max(rows, 0);
}

Expected<std::unique_ptr<PriorsRegistry>> PriorsRegistry::open(
    std::shared_ptr<storage::SqliteDatabase> db, EventChannel& channel) {
  auto store = storage::PriorsStore::create(std::move(db));
  if (!store) return fail(store.error());
  std::unique_ptr<PriorsRegistry> registry(new PriorsRegistry(std::move(*store), channel));
  auto active = registry->store_->active_version();
  if (!active) return fail(active.error());
  if (auto activated = registry->activate(*active); !activated) return fail(activated.error());
  return registry;
}

Expected<void> PriorsRegistry::activate(std::int64_t version) {
  std::shared_ptr<const pipeline::PriorsProvider> provider;
  if (version > 0) {
    auto row = store_->version(version);
    if (!row) return fail(row.error());
    if (!*row)
      return fail(
          Error::internal("fusion priors version " + std::to_string(version) + " is missing"));
    auto parsed = pipeline::parse_priors_csv((*row)->csv);
    if (!parsed) {
      return fail(Error::internal("stored fusion priors version " + std::to_string(version) +
                                  " no longer parses: " + parsed.error().message));
    }
    provider = std::make_shared<const pipeline::PriorsProvider>(std::move(*parsed));
  }
  std::lock_guard lock(active_mutex_);
  active_version_ = version;
  active_ = std::move(provider);
  return {};
}

pipeline::PriorsProvider PriorsRegistry::provider(pipeline::PriorsProvider base) const {
  return [this, base = std::move(base)](core::FusionContext context) {
    std::shared_ptr<const pipeline::PriorsProvider> active;
    {
      std::lock_guard lock(active_mutex_);
      active = active_;
    }
    if (active) return (*active)(context);
    return base ? base(context) : core::FusionPriors::defaults(context);
  };
}

Expected<nlohmann::json> PriorsRegistry::deploy(const std::string& csv, const std::string& note) {
  if (csv.size() > kMaxCsvBytes) {
    return fail(
        Error::invalid_argument("fusion priors file too large", {{"file", "at most 256 KB"}}));
  }
  auto parsed = pipeline::parse_priors_csv(csv);
  if (!parsed) {
    return fail(
        Error::invalid_argument("invalid fusion priors", {{"file", parsed.error().message}}));
  }
  const int rows = priors_csv_rows(csv);
  if (rows == 0) {
    return fail(
        Error::invalid_argument("invalid fusion priors",
                                {{"file", "no rows after the header context,source,variable,sd"}}));
  }
  std::lock_guard change(change_mutex_);
  std::int64_t previous = 0;
  {
    std::lock_guard lock(active_mutex_);
    previous = active_version_;
  }
  auto version = store_->add_and_deploy(csv, rows, note, now_iso());
  if (!version) return fail(version.error());
  {
    std::lock_guard lock(active_mutex_);
    active_version_ = *version;
    active_ = std::make_shared<const pipeline::PriorsProvider>(std::move(*parsed));
  }
  auto current = state();
  if (!current) return fail(current.error());
  announce("deploy", previous, *current);
  return current;
}

Expected<nlohmann::json> PriorsRegistry::roll_back() {
  std::lock_guard change(change_mutex_);
  std::int64_t previous = 0;
  {
    std::lock_guard lock(active_mutex_);
    previous = active_version_;
  }
  auto version = store_->roll_back(now_iso());
  if (!version) return fail(version.error());
  if (auto activated = activate(*version); !activated) return fail(activated.error());
  auto current = state();
  if (!current) return fail(current.error());
  announce("rollback", previous, *current);
  return current;
}

void PriorsRegistry::announce(const std::string& action, std::int64_t previous,
                              const nlohmann::json& state) {
  const nlohmann::json data{{"action", action},
                            {"version", state["active_version"]},
                            {"previous_version", previous},
                            {"active", state["active"]}};
  if (auto published = channel_.publish(EventType::priors_deployed, data); !published) {
    spdlog::warn("ops: priors_deployed not published: {}", published.error().message);
  }
  publish_activity(channel_, "priors", action == "deploy" ? "deployed" : "rolled_back",
                   "v" + state["active_version"].dump(),
                   {{"version", state["active_version"]}, {"previous_version", previous}});
}

Expected<nlohmann::json> PriorsRegistry::state() {
  std::int64_t active = 0;
  {
    std::lock_guard lock(active_mutex_);
    active = active_version_;
  }
  auto versions = store_->versions(kListed);
  if (!versions) return fail(versions.error());
  auto deployments = store_->deployments(kListed);
  if (!deployments) return fail(deployments.error());
  nlohmann::json out{
      {"active_version", active},
      {"active",
       {{"version", 0}, {"rows", 0}, {"created_at", nullptr}, {"note", "built-in priors"}}},
      {"versions", nlohmann::json::array()},
      {"deployments", nlohmann::json::array()}};
  for (const auto& row : *versions) {
    nlohmann::json item{{"version", row.version},
                        {"rows", row.rows},
                        {"created_at", row.created_at},
                        {"note", row.note}};
    if (row.version == active) out["active"] = item;
    out["versions"].push_back(std::move(item));
  }
  if (active > 0 && out["active"]["version"] == 0) {
    // Active but older than the versions listed.
    if (auto row = store_->version(active); row && *row) {
      out["active"] = {{"version", active},
                       {"rows", (*row)->rows},
                       {"created_at", (*row)->created_at},
                       {"note", (*row)->note}};
    }
  }
  for (const auto& row : *deployments) {
    out["deployments"].push_back(
        {{"version", row.version}, {"action", row.action}, {"at", row.at}, {"undone", row.undone}});
  }
  return out;
}

Expected<std::string> PriorsRegistry::csv_of(std::int64_t version) {
  auto row = store_->version(version);
  if (!row) return fail(row.error());
  if (!*row)
    return fail(Error::not_found("no stored fusion priors version " + std::to_string(version)));
  return (*row)->csv;
}

}  // namespace evapo::ops
