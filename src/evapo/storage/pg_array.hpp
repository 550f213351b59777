#pragma once

// PostgreSQL array literals for statement parameters: a whole batch of rows goes as a few array
// parameters of one statement (unnest($n::type[])), so that it is written in one round trip and
// one transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evapo::storage {

/// Builds "{...}" element by element.
class PgArray {
 public:
  /// A text element, quoted ("a \"b\" \\c").
  void text(std::string_view value);
  /// A bigint element.
  void integer(std::int64_t value);
  /// A double precision element, or NULL when `value` is empty or not finite.
  void real(std::optional<double> value);

  /// The literal ("{}" when empty).
  std::string literal() const { return out_ + "}"; }

 private:
  void separator() { out_ += out_.size() > 1 ? "," : ""; }
  std::string out_ = "{";
};

}  // namespace evapo::storage
