#include <array>
#include <charconv>
#include <cmath>

#include <evapo/storage/pg_array.hpp>

namespace evapo::storage {

void PgArray::text(std::string_view value) {
  separator();
  out_ += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') out_ += '\\';
    out_ += c;
  }
  out_ += '"';
}

void PgArray::integer(std::int64_t value) {
  separator();
  out_ += std::to_string(value);
}

void PgArray::real(std::optional<double> value) {
  separator();
  if (!value || !std::isfinite(*value)) {
    out_ += "NULL";
    return;
  }
  // The shortest text that reads back to the same double.
  std::array<char, 32> text{};
  const auto written = std::to_chars(text.data(), text.data() + text.size(), *value);
  out_.append(text.data(), written.ptr);
}

}  // namespace evapo::storage
