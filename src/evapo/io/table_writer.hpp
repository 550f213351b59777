#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <evapo/io/output_table.hpp>

namespace evapo::io {

/// A computed number as write_json writes it: rounded to format.decimals (-0 as 0); nullopt
/// when it is not finite.
std::optional<double> rounded_number(double value, NumberFormat format = {});

/// RFC 4180 CSV with a header line and LF line ends. Fields holding a comma, a quote, CR or LF
/// are quoted (quotes doubled); computed numbers are fixed-point, NaN and empty cells empty.
std::string write_csv(const OutputTable& table, NumberFormat format = {});

/// A JSON document {"meta": meta, "rows": [{column: value, ...}, ...]}. Computed numbers are
/// rounded to format.decimals, raw numbers keep their value, NaN and empty cells are null.
std::string write_json(const OutputTable& table, const nlohmann::ordered_json& meta,
                       NumberFormat format = {});

}  // namespace evapo::io
