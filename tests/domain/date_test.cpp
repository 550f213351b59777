#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include <evapo/domain/date.hpp>

namespace evapo::domain {
namespace {

using namespace std::chrono;

TEST(ParseIsoDate, AcceptsRealCalendarDays) {
  EXPECT_EQ(parse_iso_date("2015-07-01"), Date{year{2015} / July / 1});
  EXPECT_EQ(parse_iso_date("2024-02-29"), Date{year{2024} / February / 29});
}

TEST(ParseIsoDate, RejectsMalformedOrImpossibleDays) {
  for (const char* text :
       {"2015-7-01", "2015-07-1", "20150701", "2015/07/01", "2023-02-29", "2015-13-01",
        "2015-00-10", "2015-07-32", " 2015-07-01", "abcd-ef-gh", ""}) {
    EXPECT_FALSE(parse_iso_date(text).has_value()) << text;
  }
}

TEST(FormatIsoDate, RoundTrips) {
  EXPECT_EQ(format_iso_date(Date{year{1990} / January / 5}), "1990-01-05");
}

TEST(FormatIsoDate, ZeroPadsEveryFieldAsPrintfDoes) {
  const auto printf_date = [](Date date) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return std::string(buffer);
  };
  for (Date day = Date{year{1899} / January / 1}; day < Date{year{2101} / January / 1};
       day = add_days(day, 1)) {
    ASSERT_EQ(format_iso_date(day), printf_date(day));
  }
  for (const Date day : {Date{year{0} / January / 1}, Date{year{7} / March / 9},
                         Date{year{999} / December / 31}, Date{year{9999} / December / 31},
                         Date{year{10000} / January / 1}, Date{year{-5} / June / 15}}) {
    EXPECT_EQ(format_iso_date(day), printf_date(day));
  }
}

TEST(DayOfYear, CountsFromFirstOfJanuary) {
  EXPECT_EQ(day_of_year(Date{year{2015} / January / 1}), 1);
  EXPECT_EQ(day_of_year(Date{year{2015} / July / 6}), 187);  // FAO-56 Example 18: 6 July
  EXPECT_EQ(day_of_year(Date{year{2024} / December / 31}), 366);
}

TEST(AddDays, CrossesMonthsAndYears) {
  EXPECT_EQ(add_days(Date{year{2015} / December / 31}, 1), Date{year{2016} / January / 1});
  EXPECT_EQ(add_days(Date{year{2016} / March / 1}, -1), Date{year{2016} / February / 29});
  EXPECT_EQ(days_between(Date{year{2015} / January / 1}, Date{year{2016} / January / 1}), 365);
}

TEST(FormatIsoUtcMillis, HasMillisecondsAndZ) {
  const auto t = sys_days{year{2026} / November / 26} + hours{10} + minutes{12} + seconds{46} +
                 milliseconds{7};
  EXPECT_EQ(format_iso_utc_millis(t), "2026-11-26T10:12:46.007Z");
}

}  // namespace
}  // namespace evapo::domain
