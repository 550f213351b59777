#pragma once

// The entry point the pipeline calls: every requested source downloaded in parallel.

#include <span>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/domain/weather_day.hpp>
#include <evapo/sources/fetch_control.hpp>
#include <evapo/sources/fetch_request.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/sources/sources_config.hpp>

namespace evapo::sources {

/// One source's outcome: its series (SI units, NaN missing, warnings) or why it failed.
struct SourceOutcome {
  domain::SourceId source = domain::SourceId::nasa_power;
  domain::Expected<domain::WeatherSeries> series;
};

/// Downloads `ids` in parallel (one thread each, sharing `http`'s connections) and returns one
/// outcome per id, in the order given. A source not enabled in `config` fails with
/// invalid_argument ("disabled by EVAPO_SOURCES") without a request; NWS outside its coverage
/// fails with not_found. Reports "downloading", "retrying", "done" or "failed" through
/// `on_status` (serialised). Returns by the control's deadline (+~50 ms) with timeout errors for
/// the sources still running, or cancelled errors when cancelled.
std::vector<SourceOutcome> fetch_sources(std::span<const domain::SourceId> ids,
                                         const FetchRequest& request, const SourcesConfig& config,
                                         HttpClient& http, const FetchControl& control = {},
                                         const SourceStatusCallback& on_status = {});

/// One source, on the calling thread.
domain::Expected<domain::WeatherSeries> fetch_source(domain::SourceId id,
                                                     const FetchRequest& request,
                                                     const SourcesConfig& config, HttpClient& http,
                                                     const FetchControl& control = {},
                                                     const TransferCallback& on_event = {});

}  // namespace evapo::sources
