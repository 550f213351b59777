#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include <evapo/io/station_reader.hpp>

namespace evapo::io {
namespace {

using namespace std::chrono;

StationReadOptions daily_options(InvalidRows invalid_rows = InvalidRows::fail) {
  return {.source_name = "st.csv",
          .timestep = Timestep::daily,
          .invalid_rows = invalid_rows,
          .site = {.latitude_deg = 40.0, .elevation_m = 100.0}};
}

TEST(ReadStationCsv, ReadsColumnsInAnyOrderAndKeepsUnknownOnes) {
  const std::string text =
      "note,wind_m_s,tmin_c,date,tmax_c,rh_max_pct,rh_min_pct,rs_mj_m2\n"
      "\"first, day\",2.078,12.3,2015-07-06,21.5,84,63,22.07\n"
      "second,,10,2015-07-07,20,,,\n";
  const auto table = read_station_csv(text, daily_options());
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(table->header.front(), "note");
  ASSERT_EQ(table->rows.size(), 2U);
  const auto& row = table->rows[0];
  EXPECT_EQ(row.line, 2U);
  EXPECT_EQ(row.date, domain::Date{year{2015} / July / 6});
  EXPECT_DOUBLE_EQ(row.tmax_c, 21.5);
  EXPECT_DOUBLE_EQ(row.tmin_c, 12.3);
  EXPECT_DOUBLE_EQ(row.rh_max_pct, 84.0);
  EXPECT_DOUBLE_EQ(row.rh_min_pct, 63.0);
  EXPECT_DOUBLE_EQ(row.wind_m_s, 2.078);
  EXPECT_DOUBLE_EQ(row.rs_mj_m2, 22.07);
  EXPECT_TRUE(std::isnan(row.tdew_c));
  EXPECT_EQ(row.fields[0], "first, day");
  // Site values come from the defaults when there is no column.
  EXPECT_DOUBLE_EQ(row.latitude_deg, 40.0);
  EXPECT_DOUBLE_EQ(row.elevation_m, 100.0);
  EXPECT_DOUBLE_EQ(row.wind_height_m, 2.0);
  EXPECT_TRUE(std::isnan(table->rows[1].wind_m_s));
  EXPECT_TRUE(std::isnan(table->rows[1].rs_mj_m2));
}

TEST(ReadStationCsv, SiteColumnsOverrideDefaultsRowByRow) {
  const std::string text =
      "date,tmax_c,tmin_c,latitude_deg,elevation_m,wind_height_m\n"
      "2015-07-06,21.5,12.3,50.8,,10\n"
      "2015-07-06,21.5,12.3,,1200,\n";
  const auto table = read_station_csv(text, daily_options());
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_DOUBLE_EQ(table->rows[0].latitude_deg, 50.8);
  EXPECT_DOUBLE_EQ(table->rows[0].elevation_m, 100.0);
  EXPECT_DOUBLE_EQ(table->rows[0].wind_height_m, 10.0);
  EXPECT_DOUBLE_EQ(table->rows[1].latitude_deg, 40.0);
  EXPECT_DOUBLE_EQ(table->rows[1].elevation_m, 1200.0);
  EXPECT_DOUBLE_EQ(table->rows[1].wind_height_m, 2.0);
}

TEST(ReadStationCsv, ReadsHourlyRows) {
  const std::string text =
      "datetime,t_c,rh_pct,rs_mj_m2,wind_m_s\n"
      "2000-10-01T15:00,38,52,2.450,3.3\n"
      "2000-10-01T00:00,28,90,0,1\n";
  StationReadOptions options{.source_name = "h.csv",
                             .timestep = Timestep::hourly,
                             .site = {.latitude_deg = 16.2167,
                                      .longitude_deg = -16.25,
                                      .elevation_m = 8.0,
                                      .tz_offset_h = -1.0}};
  const auto table = read_station_csv(text, options);
  ASSERT_TRUE(table.has_value()) << table.error().message;
  ASSERT_EQ(table->rows.size(), 2U);
  EXPECT_EQ(table->rows[0].date, domain::Date{year{2000} / October / 1});
  EXPECT_EQ(table->rows[0].minute_of_day, 15 * 60);
  EXPECT_EQ(table->rows[1].minute_of_day, 0);
  EXPECT_DOUBLE_EQ(table->rows[0].t_c, 38.0);
  EXPECT_DOUBLE_EQ(table->rows[0].rh_pct, 52.0);
  EXPECT_DOUBLE_EQ(table->rows[0].tz_offset_h, -1.0);
  EXPECT_DOUBLE_EQ(table->rows[0].longitude_deg, -16.25);
}

struct BadRow {
  const char* name;
  std::string header;
  std::string good_row;
  std::string bad_row;
  std::string message;
};

TEST(ReadStationCsv, RejectsInvalidRowsWithFileLineFieldColumnAndReason) {
  const BadRow cases[] = {
      {"bad date", "date,tmax_c,tmin_c", "2015-01-01,5,1", "2015-02-30,20,10",
       "st.csv:3:1: date: '2015-02-30' is not a date YYYY-MM-DD"},
      {"not a number", "date,tmax_c,tmin_c", "2015-01-01,5,1", "2015-07-01,20,abc",
       "st.csv:3:3: tmin_c: 'abc' is not a number"},
      {"decimal comma", "date,tmax_c,tmin_c", "2015-01-01,5,1", "2015-07-01,\"20,5\",10",
       "st.csv:3:2: tmax_c: '20,5' is not a number"},
      {"tmin above tmax", "date,tmax_c,tmin_c", "2015-01-01,5,1", "2015-07-01,10,12.5",
       "st.csv:3:3: tmin_c: Tmin 12.5 is above Tmax 10"},
      {"rh above 100", "date,tmax_c,tmin_c,rh_max_pct", "2015-01-01,5,1,90", "2015-07-01,20,10,101",
       "st.csv:3:4: rh_max_pct: 101 is outside the physically possible range [0, 100] of "
       "maximum relative humidity, %"},
      {"rh min above max", "date,tmax_c,tmin_c,rh_max_pct,rh_min_pct", "2015-01-01,5,1,90,80",
       "2015-07-01,20,10,60,70", "st.csv:3:5: rh_min_pct: RHmin 70 is above RHmax 60"},
      {"negative rs", "date,tmax_c,tmin_c,rs_mj_m2", "2015-01-01,5,1,10", "2015-07-01,20,10,-0.1",
       "st.csv:3:4: rs_mj_m2: -0.1 is outside the physically possible range [0, 50] of solar "
       "radiation, MJ m-2 d-1"},
      {"negative wind", "date,wind_m_s,tmax_c,tmin_c", "2015-01-01,0,5,1", "2015-07-01,-1,20,10",
       "st.csv:3:2: wind_m_s: -1 is outside the physically possible range [0, 100] of mean wind "
       "speed at wind_height_m, m/s"},
      {"sunshine over 24 h", "date,tmax_c,tmin_c,sunshine_h", "2015-01-01,5,1,8",
       "2015-07-01,20,10,25",
       "st.csv:3:4: sunshine_h: 25 is outside the physically possible range [0, 24] of bright "
       "sunshine, hours"},
      {"missing tmax", "date,tmax_c,tmin_c", "2015-01-01,5,1", "2015-07-01,,10",
       "st.csv:3:2: tmax_c: a value is required"},
      {"latitude out of range", "date,tmax_c,tmin_c,latitude_deg", "2015-01-01,5,1,40",
       "2015-07-01,20,10,91",
       "st.csv:3:4: latitude_deg: 91 is outside the physically possible range [-90, 90] of "
       "latitude, degrees north"},
      {"wrong field count", "date,tmax_c,tmin_c", "2015-01-01,5,1", "2015-07-01,20",
       "st.csv:3:3: expected 3 fields as in the header, found 2"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    // A good row first: the error must name the bad row's line, and nothing is returned.
    const std::string text = c.header + "\n" + c.good_row + "\n" + c.bad_row + "\n";
    ASSERT_TRUE(read_station_csv(c.header + "\n" + c.good_row + "\n", daily_options()).has_value());
    const auto table = read_station_csv(text, daily_options());
    ASSERT_FALSE(table.has_value());
    EXPECT_EQ(table.error().code, domain::ErrorCode::invalid_argument);
    EXPECT_EQ(table.error().message, c.message);
  }
}

TEST(ReadStationCsv, RejectsFilesMissingRequiredColumnsOrSiteValues) {
  const struct {
    const char* name;
    std::string text;
    StationReadOptions options;
    std::string message;
  } cases[] = {
      {"no date", "tmax_c,tmin_c\n20,10\n", daily_options(), "st.csv:1: missing column 'date'"},
      {"no tmin", "date,tmax_c\n2015-07-01,20\n", daily_options(),
       "st.csv:1: missing column 'tmin_c'"},
      {"no latitude",
       "date,tmax_c,tmin_c\n2015-07-01,20,10\n",
       {.source_name = "st.csv", .site = {.elevation_m = 100.0}},
       "st.csv:1: no latitude_deg column and no --latitude given: the site's latitude_deg is "
       "required"},
      {"latitude cell empty",
       "date,tmax_c,tmin_c,latitude_deg\n2015-07-01,20,10,\n",
       {.source_name = "st.csv", .site = {.elevation_m = 100.0}},
       "st.csv:2:4: latitude_deg: a value is required (or give --latitude)"},
      {"hourly without tz",
       "datetime,t_c,rh_pct,rs_mj_m2\n2015-07-01T12:00,20,50,1\n",
       {.source_name = "st.csv",
        .timestep = Timestep::hourly,
        .site = {.latitude_deg = 40, .longitude_deg = -100, .elevation_m = 100.0}},
       "st.csv:1: no tz_offset_h column and no --tz-offset given: the site's tz_offset_h is "
       "required"},
      {"hourly without humidity",
       "datetime,t_c,rs_mj_m2\n2015-07-01T12:00,20,1\n",
       {.source_name = "st.csv",
        .timestep = Timestep::hourly,
        .site = {.latitude_deg = 40, .longitude_deg = -100, .elevation_m = 1, .tz_offset_h = -7}},
       "st.csv:1: hourly data need humidity: a tdew_c, ea_kpa or rh_pct column"},
      {"hourly bad time",
       "datetime,t_c,rh_pct,rs_mj_m2\n2015-07-01 12:00,20,50,1\n",
       {.source_name = "st.csv",
        .timestep = Timestep::hourly,
        .site = {.latitude_deg = 40, .longitude_deg = -100, .elevation_m = 1, .tz_offset_h = -7}},
       "st.csv:2:1: datetime: '2015-07-01 12:00' is not a local time YYYY-MM-DDTHH:MM"},
      {"hourly rs over top of atmosphere",
       "datetime,t_c,rh_pct,rs_mj_m2\n2015-07-01T12:00,20,50,6\n",
       {.source_name = "st.csv",
        .timestep = Timestep::hourly,
        .site = {.latitude_deg = 40, .longitude_deg = -100, .elevation_m = 1, .tz_offset_h = -7}},
       "st.csv:2:4: rs_mj_m2: 6 is outside the physically possible range [0, 5] of solar "
       "radiation, MJ m-2 h-1"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto table = read_station_csv(c.text, c.options);
    ASSERT_FALSE(table.has_value());
    EXPECT_EQ(table.error().message, c.message);
  }
}

TEST(ReadStationCsv, SkipsInvalidRowsWhenAskedAndReportsEach) {
  const std::string text =
      "date,tmax_c,tmin_c\n"
      "2015-07-01,20,10\n"
      "2015-07-02,10,20\n"
      "2015-07-03,x,10\n"
      "2015-07-04,21,11\n"
      "2015-07-05\n";
  const auto table = read_station_csv(text, daily_options(InvalidRows::skip));
  ASSERT_TRUE(table.has_value()) << table.error().message;
  ASSERT_EQ(table->rows.size(), 2U);
  EXPECT_EQ(table->rows[0].line, 2U);
  EXPECT_EQ(table->rows[1].line, 5U);
  ASSERT_EQ(table->rejected.size(), 3U);
  EXPECT_EQ(table->rejected[0].message, "st.csv:3:3: tmin_c: Tmin 20 is above Tmax 10");
  EXPECT_EQ(table->rejected[1].message, "st.csv:4:2: tmax_c: 'x' is not a number");
  EXPECT_EQ(table->rejected[2].message, "st.csv:6:2: expected 3 fields as in the header, found 1");
}

TEST(ReadStationCsv, SyntaxErrorsFailEvenWhenSkipping) {
  const auto table = read_station_csv("date,tmax_c,tmin_c\n2015-07-01,\"20,10\n",
                                      daily_options(InvalidRows::skip));
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.error().message, "st.csv:2:2: the quoted field opened on line 2 is never closed");
}

}  // namespace
}  // namespace evapo::io
