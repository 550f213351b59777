#include <cmath>

#include <fmt/format.h>

#include <evapo/io/csv_document.hpp>
#include <evapo/sites/site_scheduler.hpp>
#include <evapo/sites/site_views.hpp>

namespace evapo::sites {

namespace {

nlohmann::json eto_or_null(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

nlohmann::json detail_of(const storage::SiteDay& day) {
  auto detail = nlohmann::json::parse(day.detail_json, nullptr, false);
  return detail.is_object() ? detail : nlohmann::json::object();
}

}  // namespace

std::string recent_from(const SiteSettings& settings, std::chrono::system_clock::time_point now) {
  return domain::format_iso_date(
      domain::add_days(site_time_zone(settings).local_date(now), -(kRecentHistoryDays - 1)));
}

nlohmann::json site_json(const storage::SiteRecord& site, const SiteSettings& settings,
                         const std::optional<storage::SiteRun>& last_run,
                         const std::vector<storage::SiteDay>& recent,
                         std::chrono::system_clock::time_point now) {
  nlohmann::json json = to_json(settings);
  const domain::TimeZone zone = site_time_zone(settings);
  json["schedule"]["time_zone"] = zone.name();
  json["id"] = site.id;
  json["created_at"] = site.created_at;
  json["updated_at"] = site.updated_at;
  json["last_run"] = nullptr;
  std::optional<domain::Date> last_date;
  if (last_run) {
    json["last_run"] = {
        {"local_date", last_run->local_date},
        {"outcome", last_run->outcome.empty() ? "running" : last_run->outcome},
        {"claimed_at", last_run->claimed_at},
        {"finished_at",
         last_run->finished_at ? nlohmann::json(*last_run->finished_at) : nlohmann::json()}};
    last_date = domain::parse_iso_date(last_run->local_date);
  }
  json["next_run_at"] = domain::format_iso_utc_millis(next_run_at(settings, zone, last_date, now));
  nlohmann::json days = nlohmann::json::array();
  json["last_eto"] = nullptr;
  const std::string today = domain::format_iso_date(zone.local_date(now));
  for (const auto& day : recent) {
    days.push_back({{"date", day.date}, {"eto_mm", eto_or_null(day.eto_mm)}, {"kind", day.kind}});
    if (day.date <= today && std::isfinite(day.eto_mm)) {
      json["last_eto"] = {{"date", day.date}, {"eto_mm", day.eto_mm}, {"kind", day.kind}};
    }
  }
  json["recent"] = std::move(days);
  const std::string self = "/api/v1/sites/" + site.id;
  json["links"] = {{"self", self},
                   {"history", self + "/history"},
                   {"history_csv", self + "/history?format=csv"}};
  return json;
}

nlohmann::json history_json(const std::vector<storage::SiteDay>& days) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& day : days) {
    const auto detail = detail_of(day);
    list.push_back({{"date", day.date},
                    {"eto_mm", eto_or_null(day.eto_mm)},
                    {"kind", day.kind},
                    {"quality", detail.value("quality", nlohmann::json())},
                    {"sources", detail.value("sources", nlohmann::json::array())},
                    {"task_id", day.task_id},
                    {"updated_at", day.updated_at}});
  }
  return {{"days", std::move(list)}};
}

std::string history_csv(const std::vector<storage::SiteDay>& days) {
  std::string out = "date,eto_mm,kind,quality,sources,task_id,updated_at\n";
  for (const auto& day : days) {
    const auto detail = detail_of(day);
    std::string sources;
    for (const auto& source : detail.value("sources", nlohmann::json::array())) {
      if (!source.is_string()) continue;
      if (!sources.empty()) sources.push_back(';');
      sources += source.get<std::string>();
    }
    const auto quality = detail.value("quality", nlohmann::json());
    out += day.date;
    out += ',';
    if (std::isfinite(day.eto_mm)) out += fmt::format("{:.3f}", day.eto_mm);
    out += ',';
    io::append_csv_field(out, day.kind);
    out += ',';
    io::append_csv_field(out, quality.is_string() ? quality.get<std::string>() : "");
    out += ',';
    io::append_csv_field(out, sources);
    out += ',';
    io::append_csv_field(out, day.task_id);
    out += ',';
    io::append_csv_field(out, day.updated_at);
    out += '\n';
  }
  return out;
}

}  // namespace evapo::sites
