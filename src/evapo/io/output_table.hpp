#pragma once

#include <string>
#include <variant>
#include <vector>

namespace evapo::io {

/// A number read from input: written back verbatim to CSV, as its value to JSON.
struct RawNumber {
  std::string text;
  double value = 0.0;  // NaN when the text is empty
};

/// One output cell: empty, a computed number (NaN = missing), text, a number as read, or a list
/// of names (CSV joins them with ';', JSON writes an array).
using Cell = std::variant<std::monostate, double, std::string, RawNumber, std::vector<std::string>>;

/// A table ready to be written: column names and rows of cells (one per column).
struct OutputTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

/// How computed numbers are printed.
struct NumberFormat {
  int decimals = 4;  // fixed digits after the point; trailing zeros are kept in CSV
};

}  // namespace evapo::io
