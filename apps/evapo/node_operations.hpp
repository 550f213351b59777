#pragma once

// How a node's calculations meet its operations channel, the same for `evapo serve` and
// `evapo worker`: the weather sources listed with whether each is on, calculations run with the
// fusion priors deployed through the operations API (EVAPO_FUSION_PRIORS's while none is), and
// every upstream attempt feeding the sources' health.

#include <evapo/pipeline/pipeline_setup.hpp>
#include <evapo/server/serve.hpp>

namespace evapo::app {

/// Sets options.calculation, options.sources and options.attach_operations from `setup`, which
/// must outlive the node (it owns the HTTP client).
void connect_calculations(server::ServeOptions& options, const pipeline::PipelineSetup& setup);

}  // namespace evapo::app
