#pragma once

#include <string>
#include <string_view>

namespace evapo::sources {

/// Where a data file shipped under share/evapo/ is looked for, first hit wins: `configured` when
/// not empty, else $`env_var` when set (either must exist), else <exe dir>/../share/evapo/<name>,
/// <exe dir>/share/evapo/<name>, <source tree>/share/evapo/<name> (compiled in). Empty when none
/// exists.
std::string find_share_file(const std::string& configured, const char* env_var,
                            std::string_view file_name);

}  // namespace evapo::sources
