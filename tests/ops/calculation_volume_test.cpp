// Calculation volume over the last minute and hour, on a controlled clock.

#include <atomic>
#include <memory>

#include <gtest/gtest.h>

#include <evapo/ops/calculation_volume.hpp>

namespace evapo::ops {
namespace {

TEST(CalculationVolume, CountsFallOutOfTheMinuteThenTheHour) {
  auto now = std::make_shared<std::atomic<std::int64_t>>(1'800'000'000);
  CalculationVolume volume(
      [now] { return std::chrono::system_clock::time_point(std::chrono::seconds(now->load())); });
  volume.add({.started = 1});
  volume.add({.succeeded = 1, .days = 365, .cache_hits = 1, .cache_lookups = 2});
  now->fetch_add(30);
  volume.add({.started = 1, .failed = 1, .cache_lookups = 2});
  auto minute = volume.over_last(60);
  EXPECT_EQ(minute.started, 2);
  EXPECT_EQ(minute.succeeded, 1);
  EXPECT_EQ(minute.failed, 1);
  EXPECT_EQ(minute.days, 365);
  auto json = volume.snapshot();
  EXPECT_DOUBLE_EQ(json["minute"]["cache_hit_ratio"].get<double>(), 0.25);

  now->fetch_add(45);  // the first second is 75 s old: out of the minute, in the hour
  minute = volume.over_last(60);
  EXPECT_EQ(minute.started, 1);
  EXPECT_EQ(minute.days, 0);
  EXPECT_EQ(volume.over_last(3600).days, 365);

  now->fetch_add(3600);
  EXPECT_EQ(volume.over_last(3600).started, 0);
  EXPECT_TRUE(volume.snapshot()["hour"]["cache_hit_ratio"].is_null());
  // A bucket reused a full cycle later starts from zero.
  volume.add({.cancelled = 1});
  EXPECT_EQ(volume.over_last(60).cancelled, 1);
  EXPECT_EQ(volume.over_last(60).started, 0);
}

}  // namespace
}  // namespace evapo::ops
