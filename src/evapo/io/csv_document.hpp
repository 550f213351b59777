#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <evapo/domain/error.hpp>

namespace evapo::io {

/// One data record of a CSV file: its fields, unquoted, and the physical line it starts on.
struct CsvRecord {
  std::size_t line = 0;  // 1-based; a quoted field may carry the record over several lines
  std::vector<std::string> fields;
};

/// A whole CSV file: the header names and every data record.
struct CsvDocument {
  std::vector<std::string> header;
  std::size_t header_line = 1;
  std::vector<CsvRecord> records;
};

/// What to do with a record whose field count differs from the header's.
enum class RaggedRecords {
  reject,  // an error naming the record's line
  keep,    // kept as read; the caller checks the count (e.g. to skip just that row)
};

/// Parses RFC 4180 CSV text: comma separated, a header line first, fields optionally quoted
/// ("" is a literal quote inside a quoted field, which may span lines), LF or CRLF line ends,
/// an optional UTF-8 byte-order mark, empty lines ignored. Header names are trimmed of blanks and
/// must be non-empty and distinct. Returns invalid_argument with a message
/// "<source_name>:<line>:<field>: <reason>" for a syntax error, or (with RaggedRecords::reject)
/// a record whose field count differs from the header's.
domain::Expected<CsvDocument> parse_csv(std::string_view text, std::string_view source_name,
                                        RaggedRecords ragged = RaggedRecords::reject);

/// The reason text used for a record with the wrong number of fields.
std::string field_count_reason(std::size_t expected, std::size_t found);

}  // namespace evapo::io
