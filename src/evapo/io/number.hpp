#pragma once

#include <optional>
#include <string_view>

namespace evapo::io {

/// The outcome of reading one numeric CSV field.
struct ParsedNumber {
  enum class Kind { value, empty, invalid };
  Kind kind = Kind::invalid;
  double value = 0.0;  // meaningful only when kind == value
};

/// Strict decimal number parsing: optional surrounding blanks, an optional '-', digits with an
/// optional fraction and exponent ("12", "-0.5", "1e3"). Anything else ("1,5", "12abc", "+1",
/// "0x10", "inf", "nan") is invalid; a field of blanks only is empty (a missing value).
ParsedNumber parse_number(std::string_view text);

}  // namespace evapo::io
