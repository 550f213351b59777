#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace evapo::domain {

/// 2 x `bytes` lower-case hex digits from the kernel's CSPRNG (getrandom): ids that cannot be
/// guessed from others (a dataset id, a workspace key).
std::string random_hex(std::size_t bytes);

/// True when `text` is exactly `digits` characters of [0-9a-f].
bool is_lower_hex(std::string_view text, std::size_t digits);

}  // namespace evapo::domain
