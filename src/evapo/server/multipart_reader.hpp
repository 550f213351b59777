#pragma once

// multipart/form-data (RFC 7578) read as it arrives: an upload's body is handed over piece by
// piece, and each part's content is passed on as soon as it is known not to be a boundary, so a
// file part is never held whole in memory.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <evapo/domain/error.hpp>

namespace evapo::server {

/// One part's headers.
struct MultipartPart {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // present for a file
  std::string content_type;             // "" when not given
};

/// What the reader calls, in order: begin, data (zero or more pieces), end, for each part. An
/// error returned stops the reading with it.
struct MultipartHandler {
  std::function<domain::Expected<void>(const MultipartPart&)> begin;
  std::function<domain::Expected<void>(std::string_view)> data;
  std::function<domain::Expected<void>()> end;
};

class MultipartReader {
 public:
  /// `boundary` as given in the Content-Type header (without the leading "--").
  MultipartReader(std::string boundary, MultipartHandler handler);

  /// Reads the next piece of the body. Errors: invalid_argument for a malformed body, or the
  /// handler's.
  domain::Expected<void> push(std::string_view chunk);

  /// The end of the body. Errors: invalid_argument when the closing boundary was not seen.
  domain::Expected<void> finish();

 private:
  enum class State { preamble, after_delimiter, headers, body, done };
  domain::Expected<void> parse_headers(std::string_view block);

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartHandler handler_;
  std::string buffer_;
  State state_ = State::preamble;
};

/// The boundary parameter of a multipart/form-data Content-Type; nullopt when there is none or
/// it is not valid (RFC 2046: 1 to 70 characters).
std::optional<std::string> multipart_boundary(std::string_view content_type);

}  // namespace evapo::server
