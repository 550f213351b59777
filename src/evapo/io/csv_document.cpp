#include <set>
#include <utility>

#include <fmt/format.h>

#include <evapo/io/csv_document.hpp>

namespace evapo::io {

namespace {

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A single pass over the text, one record at a time; positions are tracked for error messages.
class CsvScanner {
 public:
  CsvScanner(std::string_view text, std::string_view source_name)
      : text_(text), source_name_(source_name) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }

  bool at_end() const { return pos_ >= text_.size(); }

  // Skips empty lines; returns false at the end of the text.
  bool skip_empty_lines() {
    while (!at_end()) {
      if (text_[pos_] == '\n') {
        ++pos_;
        ++line_;
      } else if (text_[pos_] == '\r') {
        consume_line_end();
      } else {
        return true;
      }
    }
    return false;
  }

  // Reads one record starting at the current position (which is not at a line end).
  domain::Expected<CsvRecord> read_record() {
    CsvRecord record;
    record.line = line_;
    while (true) {
      const std::size_t field_number = record.fields.size() + 1;
      auto field = at_end() || text_[pos_] != '"' ? read_plain_field(record.line, field_number)
                                                  : read_quoted_field(record.line, field_number);
      if (!field) return domain::fail(std::move(field.error()));
      record.fields.push_back(std::move(*field));
      if (at_end()) break;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      consume_line_end();
      break;
    }
    return record;
  }

  domain::Error error_at(std::size_t line, std::size_t field, std::string_view reason) const {
    return domain::Error::invalid_argument(
        fmt::format("{}:{}:{}: {}", source_name_, line, field, reason));
  }

 private:
  void consume_line_end() {
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }

  domain::Expected<std::string> read_plain_field(std::size_t record_line, std::size_t field) {
    const std::size_t start = pos_;
    while (!at_end()) {
      const char c = text_[pos_];
      if (c == ',' || c == '\n' || c == '\r') break;
      if (c == '"') {
        return domain::fail(error_at(record_line, field, "a quote inside an unquoted field"));
      }
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  domain::Expected<std::string> read_quoted_field(std::size_t record_line, std::size_t field) {
    const std::size_t opened_on_line = line_;
    ++pos_;  // the opening quote
    std::string value;
    while (true) {
      if (at_end()) {
        return domain::fail(error_at(
            record_line, field,
            fmt::format("the quoted field opened on line {} is never closed", opened_on_line)));
      }
      const char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          value.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n' || (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n'))) ++line_;
      value.push_back(c);
    }
    if (!at_end() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
      return domain::fail(
          error_at(record_line, field, "unexpected text after the closing quote of a field"));
    }
    return value;
  }

  std::string_view text_;
  std::string_view source_name_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

std::string field_count_reason(std::size_t expected, std::size_t found) {
  return fmt::format("expected {} fields as in the header, found {}", expected, found);
}

domain::Expected<CsvDocument> parse_csv(std::string_view text, std::string_view source_name,
                                        RaggedRecords ragged) {
  CsvScanner scanner(text, source_name);
  CsvDocument document;
  if (!scanner.skip_empty_lines()) {
    return domain::fail(scanner.error_at(1, 1, "the file is empty: a header line is required"));
  }
  auto header = scanner.read_record();
  if (!header) return domain::fail(std::move(header.error()));
  document.header_line = header->line;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < header->fields.size(); ++i) {
    std::string name(trim_blanks(header->fields[i]));
    if (name.empty()) {
      return domain::fail(scanner.error_at(header->line, i + 1, "empty column name in the header"));
    }
    if (!seen.insert(name).second) {
      return domain::fail(
          scanner.error_at(header->line, i + 1, fmt::format("duplicate column name '{}'", name)));
    }
    document.header.push_back(std::move(name));
  }

  while (scanner.skip_empty_lines()) {
    auto record = scanner.read_record();
    if (!record) return domain::fail(std::move(record.error()));
    if (ragged == RaggedRecords::reject && record->fields.size() != document.header.size()) {
      const std::size_t field = record->fields.size() > document.header.size()
                                    ? document.header.size() + 1
                                    : record->fields.size();
      return domain::fail(scanner.error_at(
          record->line, field, field_count_reason(document.header.size(), record->fields.size())));
    }
    document.records.push_back(std::move(*record));
  }
  return document;
}

}  // namespace evapo::io
