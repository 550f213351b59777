#include <gtest/gtest.h>

#include <evapo/core/flags.hpp>

namespace evapo::core {
namespace {

TEST(Flags, NamesAreStableAndJoined) {
  FlagSet flags;
  EXPECT_TRUE(flags.empty());
  EXPECT_EQ(join_flags(flags), "");
  flags.set(Flag::rs_from_temperature);
  flags.set(Flag::ea_from_tdew);
  flags.set(Flag::missing_input);
  EXPECT_TRUE(flags.has(Flag::ea_from_tdew));
  EXPECT_FALSE(flags.has(Flag::night));
  EXPECT_EQ(join_flags(flags), "ea_from_tdew;rs_from_temperature;missing_input");
  EXPECT_EQ(join_flags(flags, "|"), "ea_from_tdew|rs_from_temperature|missing_input");
  EXPECT_EQ(to_string(Flag::wind_defaulted), "wind_defaulted");
  EXPECT_EQ(to_string(Flag::fcd_carried_forward), "fcd_carried_forward");
  EXPECT_EQ(flag_names(flags).size(), 3u);
}

}  // namespace
}  // namespace evapo::core
