#include <charconv>
#include <cmath>

#include <evapo/io/number.hpp>

namespace evapo::io {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// from_chars alone would accept "inf", "nan" and hex-like forms; the grammar is checked first.
bool is_plain_decimal(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  std::size_t digits = 0;
  for (; i < text.size() && is_digit(text[i]); ++i) ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && is_digit(text[i]); ++i) ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    std::size_t exponent_digits = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == text.size();
}

}  // namespace

ParsedNumber parse_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return {ParsedNumber::Kind::empty, 0.0};
  if (!is_plain_decimal(text)) return {ParsedNumber::Kind::invalid, 0.0};
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return {ParsedNumber::Kind::invalid, 0.0};
  }
  return {ParsedNumber::Kind::value, value};
}

}  // namespace evapo::io
