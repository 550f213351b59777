#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace evapo::server {

/// The file under `root` (canonical) that the URL path `url_path` names: percent-decoded
/// (strictly: a bad escape is no path), "." segments dropped, symlinks followed. nullopt when
/// the path holds "..", a NUL or a backslash, or leads (through a symlink) out of `root`.
/// Touches the file system only to follow symlinks (fuzzed: fuzz/static_path_fuzzer.cpp).
std::optional<std::filesystem::path> resolve_static_path(const std::filesystem::path& root,
                                                         std::string_view url_path);

}  // namespace evapo::server
