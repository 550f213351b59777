#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace evapo::core {

/// One fallback or notable path taken while computing a row (FAO-56 chapter 3 missing data and
/// the conventions of ASCE-EWRI 2005). Stable snake_case names via to_string().
enum class Flag : std::uint32_t {
  ea_from_tdew = 1u << 0,          // ea = e°(Tdew), FAO-56 Eq. 14 (preferred source)
  ea_given = 1u << 1,              // ea supplied directly by the caller
  ea_from_rh_max_min = 1u << 2,    // FAO-56 Eq. 17
  ea_from_rh_max = 1u << 3,        // FAO-56 Eq. 18 (RHmin missing)
  ea_from_rh_mean = 1u << 4,       // FAO-56 Eq. 19 (daily) / Eq. 54 (hourly RH)
  ea_from_tmin = 1u << 5,          // no humidity at all: Tdew ≈ Tmin (FAO-56 ch. 3, Annex 6)
  rs_from_sunshine = 1u << 6,      // Angström, FAO-56 Eq. 35 with n and N
  rs_from_temperature = 1u << 7,   // Hargreaves radiation, FAO-56 Eq. 50
  wind_defaulted = 1u << 8,        // no wind: u2 = 2 m/s (FAO-56 ch. 3)
  wind_height_adjusted = 1u << 9,  // wind measured at z != 2 m, FAO-56 Eq. 47
  fcd_carried_forward = 1u << 10,  // hourly: low sun or night, last daytime cloudiness reused
  fcd_default = 1u << 11,          // hourly: low sun and no earlier daytime hour: fcd = 1
  night = 1u << 12,                // hourly: Rn < 0 (night coefficients and G)
  no_sun = 1u << 13,               // Ra = 0 (polar night, or hour with the sun below horizon)
  g_given = 1u << 14,              // soil heat flux supplied by the caller
  missing_input = 1u << 15,        // a required input (T, or hourly Rs) missing: result NaN
};

/// A set of Flag values.
class FlagSet {
 public:
  constexpr FlagSet() = default;
  constexpr void set(Flag flag) { bits_ |= static_cast<std::uint32_t>(flag); }
  constexpr bool has(Flag flag) const { return (bits_ & static_cast<std::uint32_t>(flag)) != 0; }
  constexpr std::uint32_t bits() const { return bits_; }
  constexpr bool empty() const { return bits_ == 0; }
  friend constexpr bool operator==(FlagSet, FlagSet) = default;

 private:
  std::uint32_t bits_ = 0;
};

/// Stable snake_case name of one flag, e.g. "rs_from_temperature".
std::string_view to_string(Flag flag);

/// Names of every flag in `flags`, in the enum's order.
std::vector<std::string_view> flag_names(FlagSet flags);

/// The names joined by `separator`, e.g. "ea_from_tdew;wind_height_adjusted"; "" when empty.
std::string join_flags(FlagSet flags, std::string_view separator = ";");

}  // namespace evapo::core
