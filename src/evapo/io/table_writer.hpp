#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <evapo/io/output_table.hpp>

namespace evapo::io {

/// RFC 4180 CSV with a header line and LF line ends. Fields holding a comma, a quote, CR or LF
/// are quoted (quotes doubled); computed numbers are fixed-point, NaN and empty cells empty.
std::string write_csv(const OutputTable& table, NumberFormat format = {});

/// A JSON document {"meta": meta, "rows": [{column: value, ...}, ...]}. Computed numbers are
/// rounded to format.decimals, raw numbers keep their value, NaN and empty cells are null.
std::string write_json(const OutputTable& table, const nlohmann::ordered_json& meta,
                       NumberFormat format = {});

}  // namespace evapo::io
