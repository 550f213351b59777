#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evapo::sources {

/// Where a data file shipped under share/evapo/ is looked for, first hit wins: `configured` when
/// not empty, else $`env_var` when set (either must exist), else <exe dir>/../share/evapo/<name>,
/// <exe dir>/share/evapo/<name>, <source tree>/share/evapo/<name> (compiled in). Empty when none
/// exists.
std::string find_share_file(const std::string& configured, const char* env_var,
                            std::string_view file_name);

/// The whole file at `path` in one read (a shipped data file of a few MB: read byte by byte
/// through a stream iterator it took over 20 s under ThreadSanitizer); nullopt when unreadable.
std::optional<std::vector<unsigned char>> read_file_bytes(const std::string& path);

}  // namespace evapo::sources
