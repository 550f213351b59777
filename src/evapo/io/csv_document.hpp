#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <span>
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

/// One data record as the parser hands it out: the views point into the text pushed or the
/// parser's own buffers and are valid only during the visit (no copy, no allocation per record).
struct CsvRecordView {
  std::size_t line = 0;  // 1-based line the record starts on
  std::span<const std::string_view> fields;
};

/// Called with each data record in file order; an error stops the read and is returned by it.
using CsvRecordVisitor = std::function<domain::Expected<void>(const CsvRecordView& record)>;

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

  /// Reads `chunk`; visits the data records it completes (the header is kept, see header()).
  /// Errors: as parse_csv, or the first error `visit` returns.
  domain::Expected<void> push(std::string_view chunk, const CsvRecordVisitor& visit);

  /// The end of the text: the last record (without a line end) and, for a text without a
  /// header, the "empty file" error.
  domain::Expected<void> finish(const CsvRecordVisitor& visit);

  /// As above, appending copies of the records to `records`.
  domain::Expected<void> push(std::string_view chunk, std::vector<CsvRecord>& records);
  domain::Expected<void> finish(std::vector<CsvRecord>& records);

  /// The header names once the header line has been read (nullptr before).
  const std::vector<std::string>* header() const { return header_read_ ? &header_ : nullptr; }
  std::size_t header_line() const { return header_line_; }

 private:
  domain::Expected<void> scan(std::string_view text, bool final, const CsvRecordVisitor& visit,
                              std::size_t& consumed);
  domain::Expected<void> scan_pending(bool final, const CsvRecordVisitor& visit);
  domain::Expected<void> take_header(const CsvRecordView& record);

  std::string source_name_;
  RaggedRecords ragged_;
  std::string pending_;   // the start of a record not yet complete
  std::size_t line_ = 1;  // line on which pending_ starts
  bool started_ = false;  // the byte-order mark question is settled
  bool header_read_ = false;
  std::vector<std::string> header_;
  std::size_t header_line_ = 1;
  std::optional<domain::Error> failed_;
  // Reused for every record: its field views, and the values of quoted fields with "" in them.
  std::vector<std::string_view> fields_;
  std::deque<std::string> unescaped_;
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
