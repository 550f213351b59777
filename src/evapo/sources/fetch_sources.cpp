#include <future>
#include <mutex>

#include <evapo/domain/source_id.hpp>
#include <evapo/sources/fetch_sources.hpp>
#include <evapo/sources/met_norway_client.hpp>
#include <evapo/sources/nasa_power_client.hpp>
#include <evapo/sources/nws_client.hpp>
#include <evapo/sources/open_meteo_client.hpp>

namespace evapo::sources {

domain::Expected<domain::WeatherSeries> fetch_source(domain::SourceId id,
                                                     const FetchRequest& request,
                                                     const SourcesConfig& config, HttpClient& http,
                                                     const FetchControl& control,
                                                     const TransferCallback& on_event) {
  if (!config.is_enabled(id)) {
    return domain::fail(domain::Error::invalid_argument(std::string(domain::to_string(id)) +
                                                        ": disabled by EVAPO_SOURCES"));
  }
  if (domain::days_between(request.start_date, request.end_date) < 0) {
    return domain::fail(domain::Error::invalid_argument("end date before start date"));
  }
  switch (id) {
    case domain::SourceId::nasa_power:
      return fetch_nasa_power(request, config, http, control, on_event);
    case domain::SourceId::open_meteo_archive:
    case domain::SourceId::open_meteo_forecast:
      return fetch_open_meteo(id, request, config, http, control, on_event);
    case domain::SourceId::met_norway:
      return fetch_met_norway(request, config, http, control, on_event);
    case domain::SourceId::nws:
      return fetch_nws(request, config, http, control, on_event);
  }
  return domain::fail(domain::Error::internal("unknown source"));
}

std::vector<SourceOutcome> fetch_sources(std::span<const domain::SourceId> ids,
                                         const FetchRequest& request, const SourcesConfig& config,
                                         HttpClient& http, const FetchControl& control,
                                         const SourceStatusCallback& on_status) {
  std::mutex status_mutex;
  auto report = [&](domain::SourceId id, std::string state, std::string message) {
    if (!on_status) return;
    const std::lock_guard lock(status_mutex);
    on_status(SourceFetchStatus{id, std::move(state), std::move(message)});
  };
  std::vector<std::future<domain::Expected<domain::WeatherSeries>>> futures;
  futures.reserve(ids.size());
  for (const domain::SourceId id : ids) {
    report(id, "downloading", "");
    futures.push_back(std::async(std::launch::async, [&, id] {
      auto on_event = [&, id](const TransferEvent& event) {
        if (event.kind == TransferEvent::Kind::retrying) report(id, "retrying", event.message);
      };
      auto series = fetch_source(id, request, config, http, control, on_event);
      if (series) {
        report(id, "done", std::to_string(series->days.size()) + " day(s)");
      } else {
        report(id, "failed", series.error().message);
      }
      return series;
    }));
  }
  std::vector<SourceOutcome> outcomes;
  outcomes.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    outcomes.push_back(SourceOutcome{ids[i], futures[i].get()});
  return outcomes;
}

}  // namespace evapo::sources
