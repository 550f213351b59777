#pragma once

// Bundled data files (share/evapo/): the ETOPO20 grid, the Natural Earth land polygons.

#include <string>

namespace evapo::sources {

/// Where a bundled file is looked for, first hit wins: `configured` when not empty, else the
/// environment variable `env_var` when set (either must exist), else <exe dir>/../share/evapo/
/// `file_name`, <exe dir>/share/evapo/`file_name`, <source tree>/share/evapo/`file_name`
/// (compiled-in). Empty when none exists.
std::string find_data_file(const std::string& configured, const char* env_var,
                           const char* file_name);

}  // namespace evapo::sources
