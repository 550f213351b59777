#include <set>
#include <utility>

#include <fmt/format.h>

#include <evapo/io/csv_document.hpp>

namespace evapo::io {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

domain::Error syntax_error(std::string_view source_name, std::size_t line, std::size_t field,
                           std::string_view reason) {
  return domain::Error::invalid_argument(
      fmt::format("{}:{}:{}: {}", source_name, line, field, reason));
}

// One pass over a piece of text, one record at a time; positions are tracked for error
// messages. A text that is not final may end inside a record: the record is then left for the
// next pass, which starts where it started (nothing of it is consumed).
class CsvScanner {
 public:
  enum class Next { record, end, need_more };

  CsvScanner(std::string_view text, std::string_view source_name, std::size_t first_line,
             bool final)
      : text_(text), source_name_(source_name), line_(first_line), final_(final) {}

  std::size_t pos() const { return pos_; }
  std::size_t line() const { return line_; }

  // Skips empty lines; says whether a record starts here.
  Next skip_empty_lines() {
    while (!at_end()) {
      if (text_[pos_] == '\n') {
        ++pos_;
        ++line_;
      } else if (text_[pos_] == '\r') {
        if (pos_ + 1 == text_.size() && !final_) return Next::need_more;  // CR or CRLF?
        consume_line_end();
      } else {
        return Next::record;
      }
    }
    return final_ ? Next::end : Next::need_more;
  }

  // Reads one record starting at the current position (which is not at a line end); nullopt
  // when the text ends inside it and is not final (the position is then left unchanged).
  domain::Expected<std::optional<CsvRecord>> read_record() {
    const std::size_t start_pos = pos_;
    const std::size_t start_line = line_;
    auto need_more = [&]() -> domain::Expected<std::optional<CsvRecord>> {
      pos_ = start_pos;
      line_ = start_line;
      return std::optional<CsvRecord>{};
    };
    CsvRecord record;
    record.line = line_;
    while (true) {
      const std::size_t field_number = record.fields.size() + 1;
      auto field = at_end() || text_[pos_] != '"' ? read_plain_field(record.line, field_number)
                                                  : read_quoted_field(record.line, field_number);
      if (!field) return domain::fail(std::move(field.error()));
      if (!*field) return need_more();
      record.fields.push_back(std::move(**field));
      if (at_end()) {
        if (!final_) return need_more();
        break;
      }
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '\r' && pos_ + 1 == text_.size() && !final_) return need_more();
      consume_line_end();
      break;
    }
    return std::optional<CsvRecord>{std::move(record)};
  }

  domain::Error error_at(std::size_t line, std::size_t field, std::string_view reason) const {
    return syntax_error(source_name_, line, field, reason);
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }

  void consume_line_end() {
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }

  using Field = domain::Expected<std::optional<std::string>>;

  Field read_plain_field(std::size_t record_line, std::size_t field) {
    const std::size_t start = pos_;
    while (!at_end()) {
      const char c = text_[pos_];
      if (c == ',' || c == '\n' || c == '\r') break;
      if (c == '"') {
        return domain::fail(error_at(record_line, field, "a quote inside an unquoted field"));
      }
      ++pos_;
    }
    if (at_end() && !final_) return std::optional<std::string>{};
    return std::optional<std::string>{std::string(text_.substr(start, pos_ - start))};
  }

  Field read_quoted_field(std::size_t record_line, std::size_t field) {
    const std::size_t opened_on_line = line_;
    ++pos_;  // the opening quote
    std::string value;
    while (true) {
      if (at_end()) {
        if (!final_) return std::optional<std::string>{};
        return domain::fail(error_at(
            record_line, field,
            fmt::format("the quoted field opened on line {} is never closed", opened_on_line)));
      }
      const char c = text_[pos_++];
      // A quote or CR as the last byte: what follows decides what it is.
      if ((c == '"' || c == '\r') && at_end() && !final_) return std::optional<std::string>{};
      if (c == '"') {
        if (!at_end() && text_[pos_] == '"') {
          value.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n' || (c == '\r' && (at_end() || text_[pos_] != '\n'))) ++line_;
      value.push_back(c);
    }
    if (at_end() && !final_) return std::optional<std::string>{};
    if (!at_end() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
      return domain::fail(
          error_at(record_line, field, "unexpected text after the closing quote of a field"));
    }
    return std::optional<std::string>{std::move(value)};
  }

  std::string_view text_;
  std::string_view source_name_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool final_ = true;
};

}  // namespace

CsvStreamParser::CsvStreamParser(std::string source_name, RaggedRecords ragged)
    : source_name_(std::move(source_name)), ragged_(ragged) {}

domain::Expected<void> CsvStreamParser::take_header(CsvRecord record) {
  header_line_ = record.line;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    std::string name(trim_blanks(record.fields[i]));
    if (name.empty()) {
      return domain::fail(
          syntax_error(source_name_, record.line, i + 1, "empty column name in the header"));
    }
    if (!seen.insert(name).second) {
      return domain::fail(syntax_error(source_name_, record.line, i + 1,
                                       fmt::format("duplicate column name '{}'", name)));
    }
    header_.push_back(std::move(name));
  }
  header_read_ = true;
  return {};
}

domain::Expected<void> CsvStreamParser::scan(std::string_view text, bool final,
                                             std::vector<CsvRecord>& records,
                                             std::size_t& consumed) {
  CsvScanner scanner(text, source_name_, line_, final);
  while (scanner.skip_empty_lines() == CsvScanner::Next::record) {
    auto record = scanner.read_record();
    if (!record) return domain::fail(std::move(record.error()));
    if (!*record) break;
    if (!header_read_) {
      if (auto taken = take_header(std::move(**record)); !taken) return taken;
      continue;
    }
    if (ragged_ == RaggedRecords::reject && (*record)->fields.size() != header_.size()) {
      const std::size_t count = (*record)->fields.size();
      const std::size_t field = count > header_.size() ? header_.size() + 1 : count;
      return domain::fail(
          scanner.error_at((*record)->line, field, field_count_reason(header_.size(), count)));
    }
    records.push_back(std::move(**record));
  }
  consumed = scanner.pos();
  line_ = scanner.line();
  return {};
}

domain::Expected<void> CsvStreamParser::push(std::string_view chunk,
                                             std::vector<CsvRecord>& records) {
  if (failed_) return domain::fail(*failed_);
  if (!started_) {
    pending_.append(chunk);
    chunk = {};
    const std::size_t known = std::min(pending_.size(), kByteOrderMark.size());
    if (pending_.size() < kByteOrderMark.size() &&
        std::string_view(pending_) == kByteOrderMark.substr(0, known)) {
      return {};  // could still be the mark
    }
    if (std::string_view(pending_).starts_with(kByteOrderMark)) {
      pending_.erase(0, kByteOrderMark.size());
    }
    started_ = true;
  }
  const bool from_pending = !pending_.empty();
  if (from_pending) pending_.append(chunk);
  const std::string_view text = from_pending ? std::string_view(pending_) : chunk;
  std::size_t consumed = 0;
  if (auto scanned = scan(text, false, records, consumed); !scanned) {
    failed_ = scanned.error();
    return scanned;
  }
  if (from_pending) {
    pending_.erase(0, consumed);
  } else {
    pending_.assign(text.substr(consumed));
  }
  return {};
}

domain::Expected<void> CsvStreamParser::finish(std::vector<CsvRecord>& records) {
  if (failed_) return domain::fail(*failed_);
  if (!started_ && std::string_view(pending_).starts_with(kByteOrderMark)) {
    pending_.erase(0, kByteOrderMark.size());
  }
  started_ = true;
  std::size_t consumed = 0;
  const std::string text = std::move(pending_);
  pending_.clear();
  if (auto scanned = scan(text, true, records, consumed); !scanned) {
    failed_ = scanned.error();
    return scanned;
  }
  if (!header_read_) {
    failed_ = syntax_error(source_name_, 1, 1, "the file is empty: a header line is required");
    return domain::fail(*failed_);
  }
  return {};
}

std::string field_count_reason(std::size_t expected, std::size_t found) {
  return fmt::format("expected {} fields as in the header, found {}", expected, found);
}

domain::Expected<CsvDocument> parse_csv(std::string_view text, std::string_view source_name,
                                        RaggedRecords ragged) {
  CsvStreamParser parser{std::string(source_name), ragged};
  CsvDocument document;
  if (auto pushed = parser.push(text, document.records); !pushed) {
    return domain::fail(std::move(pushed.error()));
  }
  if (auto finished = parser.finish(document.records); !finished) {
    return domain::fail(std::move(finished.error()));
  }
  document.header = *parser.header();
  document.header_line = parser.header_line();
  return document;
}

void append_csv_field(std::string& out, std::string_view text) {
  // A leading byte-order mark would be taken for the file's own and dropped by a reader.
  if (text.find_first_of(",\"\r\n") == std::string_view::npos &&
      text.substr(0, 3) != kByteOrderMark) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace evapo::io
