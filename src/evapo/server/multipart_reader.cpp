#include <algorithm>
#include <cctype>
#include <utility>

#include <evapo/server/multipart_reader.hpp>

namespace evapo::server {

namespace {

constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
constexpr std::size_t kMaxBoundaryLength = 70;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The value of `key` among "; key=value" parameters (quoted or not).
std::optional<std::string> parameter(std::string_view header, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = header.find(';', pos)) != std::string_view::npos) {
    ++pos;
    std::string_view rest = trim(header.substr(pos));
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    if (lower(trim(rest.substr(0, eq))) != key) continue;
    rest = trim(rest.substr(eq + 1));
    if (!rest.empty() && rest.front() == '"') {
      std::string value;
      for (std::size_t i = 1; i < rest.size(); ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) {
          value.push_back(rest[++i]);
        } else if (rest[i] == '"') {
          return value;
        } else {
          value.push_back(rest[i]);
        }
      }
      return std::nullopt;  // unterminated quote
    }
    return std::string(trim(rest.substr(0, rest.find(';'))));
  }
  return std::nullopt;
}

domain::Error malformed(std::string_view what) {
  return domain::Error::invalid_argument("malformed multipart/form-data body: " +
                                         std::string(what));
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  if (lower(trim(content_type.substr(0, semicolon))) != "multipart/form-data") return std::nullopt;
  auto boundary = parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryLength) return std::nullopt;
  return boundary;
}

MultipartReader::MultipartReader(std::string boundary, MultipartHandler handler)
    : delimiter_("\r\n--" + boundary), handler_(std::move(handler)), buffer_("\r\n") {}

domain::Expected<void> MultipartReader::parse_headers(std::string_view block) {
  MultipartPart part;
  bool disposition = false;
  while (!block.empty()) {
    const auto end = block.find("\r\n");
    const std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view{} : block.substr(end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return domain::fail(malformed("a part header without ':'"));
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (lower(trim(value.substr(0, value.find(';')))) != "form-data") {
        return domain::fail(malformed("a part that is not form-data"));
      }
      auto field = parameter(value, "name");
      if (!field) return domain::fail(malformed("a part without a name"));
      part.name = std::move(*field);
      part.filename = parameter(value, "filename");
      disposition = true;
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!disposition) return domain::fail(malformed("a part without Content-Disposition"));
  return handler_.begin(part);
}

domain::Expected<void> MultipartReader::push(std::string_view chunk) {
  buffer_.append(chunk);
  while (true) {
    switch (state_) {
      case State::preamble: {
        const auto found = buffer_.find(delimiter_);
        if (found == std::string::npos) {
          // Keep what could be the start of the delimiter.
          if (buffer_.size() >= delimiter_.size())
            buffer_.erase(0, buffer_.size() - delimiter_.size() + 1);
          return {};
        }
        buffer_.erase(0, found + delimiter_.size());
        state_ = State::after_delimiter;
        break;
      }
      case State::after_delimiter: {
        if (buffer_.size() < 2) return {};
        if (buffer_.compare(0, 2, "--") == 0) {
          state_ = State::done;
          buffer_.clear();
          return {};
        }
        // Transport padding (blanks) may follow a delimiter before its line end.
        const auto line_end = buffer_.find("\r\n");
        if (line_end == std::string::npos) {
          if (buffer_.size() > kMaxHeaderBytes)
            return domain::fail(malformed("a boundary line too long"));
          return {};
        }
        if (!trim(std::string_view(buffer_).substr(0, line_end)).empty()) {
          return domain::fail(malformed("text after a boundary"));
        }
        buffer_.erase(0, line_end + 2);
        state_ = State::headers;
        break;
      }
      case State::headers: {
        const auto end = buffer_.find("\r\n\r\n");
        if (end == std::string::npos) {
          // A part without headers ends them at once.
          if (buffer_.starts_with("\r\n")) {
            return domain::fail(malformed("a part without Content-Disposition"));
          }
          if (buffer_.size() > kMaxHeaderBytes)
            return domain::fail(malformed("part headers too long"));
          return {};
        }
        if (auto parsed = parse_headers(std::string_view(buffer_).substr(0, end)); !parsed)
          return parsed;
        buffer_.erase(0, end + 4);
        state_ = State::body;
        break;
      }
      case State::body: {
        const auto found = buffer_.find(delimiter_);
        if (found == std::string::npos) {
          const std::size_t safe =
              buffer_.size() >= delimiter_.size() ? buffer_.size() - delimiter_.size() + 1 : 0;
          if (safe > 0) {
            if (auto given = handler_.data(std::string_view(buffer_).substr(0, safe)); !given)
              return given;
            buffer_.erase(0, safe);
          }
          return {};
        }
        if (found > 0) {
          if (auto given = handler_.data(std::string_view(buffer_).substr(0, found)); !given)
            return given;
        }
        if (auto ended = handler_.end(); !ended) return ended;
        buffer_.erase(0, found + delimiter_.size());
        state_ = State::after_delimiter;
        break;
      }
      case State::done:
        buffer_.clear();  // the epilogue is ignored
        return {};
    }
  }
}

domain::Expected<void> MultipartReader::finish() {
  if (state_ != State::done) return domain::fail(malformed("the closing boundary is missing"));
  return {};
}

}  // namespace evapo::server
