#pragma once

// The task behind POST /api/v1/datasets/{id}/calculations: the reference ET of every stored row,
// computed as `evapo eto` computes it (io::StationEtoCalculator, the same rounding), and with
// `compare` the public sources' ETo for the station's point and days beside it.

#include <memory>

#include <nlohmann/json.hpp>

#include <evapo/pipeline/calculation.hpp>
#include <evapo/storage/dataset_store.hpp>
#include <evapo/tasks/calculation_fn.hpp>

namespace evapo::datasets {

/// Runs `request.dataset` against `store`. SUCCESS data: {"results": [{"date"|"datetime",
/// "eto_mm"|"etr_mm", "flags"}] (one per stored row, as `evapo eto --format json` prints them),
/// "days": [{"date","eto_mm","hours"}] (hourly datasets: complete local days summed),
/// "warnings", "location", "summary", "dataset": {id, name, timestep, options, unit},
/// "comparison"?}. `public_sources` computes the pipeline's requests of the comparison (one per
/// at most 366 days). Errors: not_found when the dataset is gone, cancelled, timeout.
tasks::CalculationFn dataset_calculation(std::shared_ptr<storage::DatasetStore> store,
                                         tasks::CalculationFn public_sources);

/// One function for every task: `dataset` for requests that name a dataset, `pipeline` else.
tasks::CalculationFn route_calculations(tasks::CalculationFn dataset,
                                        tasks::CalculationFn pipeline);

/// The comparison of daily station ETo with the public sources' over the same days:
/// {"days": [{"date","station_eto_mm","gridded_eto_mm","difference_mm"}], "summary": {"pairs",
/// "bias_mm","rmse_mm","r_squared","kge","station_mean_mm","gridded_mean_mm"}}.
nlohmann::json comparison_json(const std::vector<std::pair<std::string, double>>& station_days,
                               const nlohmann::json& gridded_results);

}  // namespace evapo::datasets
