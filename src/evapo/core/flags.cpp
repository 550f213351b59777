#include <array>
#include <bit>

#include <evapo/core/flags.hpp>

namespace evapo::core {
namespace {

constexpr std::array<std::string_view, 16> kNames = {
    "ea_from_tdew",
    "ea_given",
    "ea_from_rh_max_min",
    "ea_from_rh_max",
    "ea_from_rh_mean",
    "ea_from_tmin",
    "rs_from_sunshine",
    "rs_from_temperature",
    "wind_defaulted",
    "wind_height_adjusted",
    "fcd_carried_forward",
    "fcd_default",
    "night",
    "no_sun",
    "g_given",
    "missing_input",
};

}  // namespace

std::string_view to_string(Flag flag) {
  const auto bits = static_cast<std::uint32_t>(flag);
  const auto index = static_cast<std::size_t>(std::countr_zero(bits));
  return index < kNames.size() ? kNames[index] : std::string_view{"unknown"};
}

std::vector<std::string_view> flag_names(FlagSet flags) {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if ((flags.bits() >> i) & 1u) names.push_back(kNames[i]);
  }
  return names;
}

std::string join_flags(FlagSet flags, std::string_view separator) {
  std::string joined;
  for (const std::string_view name : flag_names(flags)) {
    if (!joined.empty()) joined += separator;
    joined += name;
  }
  return joined;
}

}  // namespace evapo::core
