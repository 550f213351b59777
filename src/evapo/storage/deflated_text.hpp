#pragma once

// zlib streams for large stored texts: a year of results (about 120 KB of JSON) shrinks about
// sevenfold, so writing it holds the database's write lock for a fraction of the time.

#include <optional>
#include <string>
#include <string_view>

namespace evapo::storage {

/// `text` as a zlib stream at the fastest level; nullopt if zlib fails.
std::optional<std::string> deflate_text(std::string_view text);

/// The text of a zlib stream made by deflate_text; nullopt for a damaged stream.
std::optional<std::string> inflate_text(std::string_view stream);

}  // namespace evapo::storage
