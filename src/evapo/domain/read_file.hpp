#pragma once

#include <string>

#include <evapo/domain/error.hpp>

namespace evapo::domain {

/// Every byte of the file at `path`, read in large blocks (a shipped data file of a few MB read
/// byte by byte through a stream iterator took over 20 s under ThreadSanitizer). Works on files
/// whose size is unknown in advance (/proc). `not_found` when it cannot be opened, `unavailable`
/// on a read error; the message names the path.
Expected<std::string> read_file(const std::string& path);

}  // namespace evapo::domain
