#pragma once

// The parts of a request target a client controls byte for byte: path, query parameters and
// the resume position of a live stream. Pure functions (fuzzed: fuzz/query_string_fuzzer.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evapo::server {

/// The path of a request target without "?query".
std::string_view target_path(std::string_view target);

/// `text` with "+" as space and each valid "%XY" as its byte; anything else is kept as is.
std::string percent_decode(std::string_view text);

/// The value of `name` in the target's query string, percent-decoded; empty when absent.
std::string query_parameter(std::string_view target, std::string_view name);

/// A resume position (?since=SEQ, Last-Event-ID): 0 for empty text (from the start), the
/// decimal integer >= 0 otherwise; nullopt for anything else (signs, spaces, overflow).
std::optional<std::int64_t> parse_resume_position(std::string_view text);

}  // namespace evapo::server
