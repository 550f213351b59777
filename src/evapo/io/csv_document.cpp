#include <algorithm>
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
// next pass, which starts where it started (nothing of it is consumed). Fields are views into
// the text; only a quoted field with a doubled quote in it is copied (into `unescaped`).
class CsvScanner {
 public:
  enum class Next { record, end, need_more };

  CsvScanner(std::string_view text, std::string_view source_name, std::size_t first_line,
             bool final, std::vector<std::string_view>& fields, std::deque<std::string>& unescaped)
      : text_(text),
        source_name_(source_name),
        line_(first_line),
        final_(final),
        fields_(fields),
        unescaped_(unescaped) {}

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

  // Reads one record starting at the current position (which is not at a line end) into
  // `fields`; false when the text ends inside it and is not final (the position is then left
  // unchanged).
  domain::Expected<bool> read_record(std::size_t& record_line) {
    const std::size_t start_pos = pos_;
    const std::size_t start_line = line_;
    auto need_more = [&]() -> domain::Expected<bool> {
      pos_ = start_pos;
      line_ = start_line;
      return false;
    };
    fields_.clear();
    unescaped_.clear();
    record_line = line_;
    while (true) {
      const std::size_t field_number = fields_.size() + 1;
      auto field = at_end() || text_[pos_] != '"' ? read_plain_field(record_line, field_number)
                                                  : read_quoted_field(record_line, field_number);
      if (!field) return domain::fail(std::move(field.error()));
      if (!*field) return need_more();
      fields_.push_back(**field);
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
    return true;
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

  using Field = domain::Expected<std::optional<std::string_view>>;

  Field read_plain_field(std::size_t record_line, std::size_t field) {
    const std::size_t start = pos_;
    const char* const data = text_.data();
    const std::size_t size = text_.size();
    std::size_t at = pos_;
    while (at < size) {
      const char c = data[at];
      if (c == ',' || c == '\n' || c == '\r') break;
      if (c == '"') {
        pos_ = at;
        return domain::fail(error_at(record_line, field, "a quote inside an unquoted field"));
      }
      ++at;
    }
    pos_ = at;
    if (at_end() && !final_) return std::optional<std::string_view>{};
    return std::optional<std::string_view>{text_.substr(start, pos_ - start)};
  }

  Field read_quoted_field(std::size_t record_line, std::size_t field) {
    const std::size_t opened_on_line = line_;
    ++pos_;  // the opening quote
    const std::size_t start = pos_;
    std::string* value = nullptr;  // set at the first doubled quote; until then a view will do
    while (true) {
      if (at_end()) {
        if (!final_) return std::optional<std::string_view>{};
        return domain::fail(error_at(
            record_line, field,
            fmt::format("the quoted field opened on line {} is never closed", opened_on_line)));
      }
      const char c = text_[pos_++];
      // A quote or CR as the last byte: what follows decides what it is.
      if ((c == '"' || c == '\r') && at_end() && !final_) return std::optional<std::string_view>{};
      if (c == '"') {
        if (!at_end() && text_[pos_] == '"') {
          if (value == nullptr) {
            value = &unescaped_.emplace_back(text_.substr(start, pos_ - start));
          } else {
            value->push_back('"');
          }
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n' || (c == '\r' && (at_end() || text_[pos_] != '\n'))) ++line_;
      if (value != nullptr) value->push_back(c);
    }
    if (at_end() && !final_) return std::optional<std::string_view>{};
    if (!at_end() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
      return domain::fail(
          error_at(record_line, field, "unexpected text after the closing quote of a field"));
    }
    if (value != nullptr) return std::optional<std::string_view>{*value};
    return std::optional<std::string_view>{text_.substr(start, pos_ - 1 - start)};
  }

  std::string_view text_;
  std::string_view source_name_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool final_ = true;
  std::vector<std::string_view>& fields_;
  std::deque<std::string>& unescaped_;
};

}  // namespace

CsvStreamParser::CsvStreamParser(std::string source_name, RaggedRecords ragged)
    : source_name_(std::move(source_name)), ragged_(ragged) {}

domain::Expected<void> CsvStreamParser::take_header(const CsvRecordView& record) {
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
                                             const CsvRecordVisitor& visit, std::size_t& consumed) {
  CsvScanner scanner(text, source_name_, line_, final, fields_, unescaped_);
  while (scanner.skip_empty_lines() == CsvScanner::Next::record) {
    std::size_t record_line = 0;
    auto read = scanner.read_record(record_line);
    if (!read) return domain::fail(std::move(read.error()));
    if (!*read) break;
    const CsvRecordView record{.line = record_line, .fields = fields_};
    if (!header_read_) {
      if (auto taken = take_header(record); !taken) return taken;
      continue;
    }
    if (ragged_ == RaggedRecords::reject && fields_.size() != header_.size()) {
      const std::size_t count = fields_.size();
      const std::size_t field = count > header_.size() ? header_.size() + 1 : count;
      return domain::fail(
          scanner.error_at(record_line, field, field_count_reason(header_.size(), count)));
    }
    if (auto visited = visit(record); !visited) return visited;
  }
  consumed = scanner.pos();
  line_ = scanner.line();
  return {};
}

// Scans pending_ (the start of a record, and what was appended to it) and keeps what is left.
domain::Expected<void> CsvStreamParser::scan_pending(bool final, const CsvRecordVisitor& visit) {
  std::size_t consumed = 0;
  if (auto scanned = scan(pending_, final, visit, consumed); !scanned) return scanned;
  pending_.erase(0, consumed);
  return {};
}

domain::Expected<void> CsvStreamParser::push(std::string_view chunk,
                                             const CsvRecordVisitor& visit) {
  if (failed_) return domain::fail(*failed_);
  auto read = [&]() -> domain::Expected<void> {
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
      return scan_pending(false, visit);
    }
    if (!pending_.empty()) {
      // The record cut by the previous piece most often ends on this piece's first line: only
      // that much is copied behind it, the rest is read where it lies.
      const std::size_t newline = chunk.find('\n');
      const std::size_t head = newline == std::string_view::npos ? chunk.size() : newline + 1;
      pending_.append(chunk.substr(0, head));
      chunk.remove_prefix(head);
      if (auto scanned = scan_pending(false, visit); !scanned) return scanned;
      if (!pending_.empty()) {
        pending_.append(chunk);
        return scan_pending(false, visit);
      }
    }
    std::size_t consumed = 0;
    if (auto scanned = scan(chunk, false, visit, consumed); !scanned) return scanned;
    pending_.assign(chunk.substr(consumed));
    return {};
  };
  auto done = read();
  if (!done) failed_ = done.error();
  return done;
}

domain::Expected<void> CsvStreamParser::finish(const CsvRecordVisitor& visit) {
  if (failed_) return domain::fail(*failed_);
  if (!started_ && std::string_view(pending_).starts_with(kByteOrderMark)) {
    pending_.erase(0, kByteOrderMark.size());
  }
  started_ = true;
  if (auto scanned = scan_pending(true, visit); !scanned) {
    failed_ = scanned.error();
    return scanned;
  }
  if (!header_read_) {
    failed_ = syntax_error(source_name_, 1, 1, "the file is empty: a header line is required");
    return domain::fail(*failed_);
  }
  return {};
}

namespace {

CsvRecordVisitor copy_into(std::vector<CsvRecord>& records) {
  return [&records](const CsvRecordView& record) -> domain::Expected<void> {
    records.push_back(
        CsvRecord{.line = record.line, .fields = {record.fields.begin(), record.fields.end()}});
    return {};
  };
}

}  // namespace

domain::Expected<void> CsvStreamParser::push(std::string_view chunk,
                                             std::vector<CsvRecord>& records) {
  return push(chunk, copy_into(records));
}

domain::Expected<void> CsvStreamParser::finish(std::vector<CsvRecord>& records) {
  return finish(copy_into(records));
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
  // A plain loop: find_first_of calls memchr on the four characters for every byte of text.
  const bool plain = std::none_of(text.begin(), text.end(), [](char c) {
    return c == ',' || c == '"' || c == '\r' || c == '\n';
  });
  if (plain && text.substr(0, 3) != kByteOrderMark) {
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
