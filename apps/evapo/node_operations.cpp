#include "node_operations.hpp"

#include <memory>
#include <string>

#include <evapo/domain/source_id.hpp>
#include <evapo/ops/operations.hpp>
#include <evapo/sources/http_client.hpp>
#include <evapo/tasks/pipeline_calculation.hpp>

namespace evapo::app {

void connect_calculations(server::ServeOptions& options, const pipeline::PipelineSetup& setup) {
  // The calculations' own copy of the context: its priors become the operations' ones.
  auto context = std::make_shared<pipeline::PipelineContext>(*setup.context);
  sources::HttpClient& http = *context->http;
  options.calculation = tasks::pipeline_calculation(context);
  for (const auto source : domain::kAllSources) {
    options.sources[std::string(domain::to_string(source))] = context->sources.is_enabled(source);
  }
  options.attach_operations = [&http, context](ops::Operations& ops, ops::NodeProbes& probes) {
    context->priors = ops.priors().provider(context->priors);
    http.attempts().set_listener(
        [&ops](const sources::UpstreamAttempt& attempt) { ops.sources().on_attempt(attempt); });
    probes.upstream_window = [&http] {
      return http.attempts().snapshot(std::chrono::system_clock::now());
    };
    probes.upstream_totals = [&http] { return http.counters(); };
  };
}

}  // namespace evapo::app
