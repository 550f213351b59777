#pragma once

#include <cstddef>
#include <optional>
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

/// The CSV syntax of parse_csv read incrementally: text arrives in pieces of any size (an
/// upload's body as it comes off the socket) and each record is handed out as soon as its line
/// end has been read. Feeding the pieces of a text gives exactly what parse_csv of the whole
/// text gives, errors included. After an error the parser stays failed.
class CsvStreamParser {
 public:
  CsvStreamParser(std::string source_name, RaggedRecords ragged = RaggedRecords::reject);

  /// Reads `chunk`; appends the data records it completes to `records` (the header is kept, see
  /// header()). Errors: as parse_csv.
  domain::Expected<void> push(std::string_view chunk, std::vector<CsvRecord>& records);

  /// The end of the text: the last record (without a line end) and, for a text without a
  /// header, the "empty file" error.
  domain::Expected<void> finish(std::vector<CsvRecord>& records);

  /// The header names once the header line has been read (nullptr before).
  const std::vector<std::string>* header() const { return header_read_ ? &header_ : nullptr; }
  std::size_t header_line() const { return header_line_; }

 private:
  domain::Expected<void> scan(std::string_view text, bool final, std::vector<CsvRecord>& records,
                              std::size_t& consumed);
  domain::Expected<void> take_header(CsvRecord record);

  std::string source_name_;
  RaggedRecords ragged_;
  std::string pending_;   // the start of a record not yet complete
  std::size_t line_ = 1;  // line on which pending_ starts
  bool started_ = false;  // the byte-order mark question is settled
  bool header_read_ = false;
  std::vector<std::string> header_;
  std::size_t header_line_ = 1;
  std::optional<domain::Error> failed_;
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

/// Appends `text` to `out` as one CSV field: as is, or quoted (quotes doubled) when it holds a
/// comma, a quote, CR or LF, or starts with a byte-order mark.
void append_csv_field(std::string& out, std::string_view text);

}  // namespace evapo::io
