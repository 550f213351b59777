// An upload read in pieces: the rows a dataset keeps, the problems a refusal lists (line, field,
// column, reason, as `evapo eto` words them), and the dataset-level rules (one time step, time
// stamps strictly increasing).

#include <string>

#include <gtest/gtest.h>

#include <evapo/datasets/dataset_upload.hpp>

namespace evapo::datasets {
namespace {

UploadOptions daily_site(io::InvalidRows invalid = io::InvalidRows::fail) {
  UploadOptions options;
  options.source_name = "st.csv";
  options.site = {.latitude_deg = 40.0, .elevation_m = 100.0};
  options.invalid_rows = invalid;
  return options;
}

tl::expected<UploadedRows, UploadRefusal> upload(const std::string& text, UploadOptions options,
                                                 std::size_t piece = 7) {
  DatasetUpload reading(std::move(options));
  for (std::size_t at = 0; at < text.size(); at += piece) {
    if (auto pushed = reading.push(std::string_view(text).substr(at, piece)); !pushed) {
      return tl::unexpected(pushed.error());
    }
  }
  return reading.finish();
}

TEST(DatasetUpload, KeepsEveryRowAsItsCsvLineKeyedByTime) {
  const auto rows = upload(
      "date,tmax_c,tmin_c,note\n2015-07-01,20,10,\"a, b\"\n2015-07-02,21,11,\n2015-07-05,22,12,x\n",
      daily_site());
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_EQ(rows->timestep, io::Timestep::daily);
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"date", "tmax_c", "tmin_c", "note"}));
  ASSERT_EQ(rows->rows.size(), 3U);
  EXPECT_EQ(rows->rows.line(0), "2015-07-01,20,10,\"a, b\"");
  EXPECT_EQ(rows->rows.t(1) - rows->rows.t(0), 1440);
  EXPECT_EQ(format_time_key(rows->rows.t(2), io::Timestep::daily), "2015-07-05");
  const auto stats = rows->stats.to_json();
  EXPECT_EQ(stats["rows"], 3);
  EXPECT_EQ(stats["period"]["start"], "2015-07-01");
  EXPECT_EQ(stats["period"]["end"], "2015-07-05");
  EXPECT_EQ(stats["gaps"]["count"], 1);
  EXPECT_EQ(stats["gaps"]["missing_steps"], 2);
  EXPECT_EQ(stats["gaps"]["list"][0]["after"], "2015-07-02");
  EXPECT_EQ(stats["summary"]["tmax_c"]["min"], 20.0);
  EXPECT_EQ(stats["summary"]["tmax_c"]["max"], 22.0);
  EXPECT_EQ(stats["summary"]["tmax_c"]["mean"], 21.0);
  EXPECT_FALSE(stats["summary"].contains("note"));
}

TEST(DatasetUpload, HourlyFilesAreDetectedFromTheHeader) {
  UploadOptions options = daily_site();
  options.site.longitude_deg = -118.0;
  options.site.tz_offset_h = -8.0;
  const auto rows = upload(
      "datetime,t_c,rh_pct,rs_mj_m2\n2015-07-01T00:00,20,50,0\n2015-07-01T01:00,19,55,0\n"
      "2015-07-01T03:00,18,60,0\n",
      options);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_EQ(rows->timestep, io::Timestep::hourly);
  EXPECT_EQ(rows->rows.t(1) - rows->rows.t(0), 60);
  EXPECT_EQ(rows->stats.to_json()["gaps"]["list"][0]["before"], "2015-07-01T03:00");
}

TEST(DatasetUpload, InvalidRowsRefuseTheWholeFileListingWhereAndWhy) {
  const auto refused = upload(
      "date,tmax_c,tmin_c\n2015-07-01,20,10\n2015-07-02,10,20\n2015-07-03,x,1\n2015-07-04,21\n",
      daily_site());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "INVALID_ROWS");
  EXPECT_EQ(refused.error().problem_count, 3U);
  ASSERT_EQ(refused.error().problems.size(), 3U);
  const auto& first = refused.error().problems[0];
  EXPECT_EQ(first.line, 3U);
  EXPECT_EQ(first.field, 3U);
  EXPECT_EQ(first.column, "tmin_c");
  EXPECT_EQ(first.message, "st.csv:3:3: tmin_c: Tmin 20 is above Tmax 10");
  EXPECT_EQ(refused.error().problems[1].message, "st.csv:4:2: tmax_c: 'x' is not a number");
  EXPECT_EQ(refused.error().problems[2].message,
            "st.csv:5:3: expected 3 fields as in the header, found 2");
}

TEST(DatasetUpload, SkipInvalidKeepsTheValidRowsAndReportsTheOthers) {
  const auto rows =
      upload("date,tmax_c,tmin_c\n2015-07-01,20,10\n2015-07-02,10,20\n2015-07-03,21,11\n",
             daily_site(io::InvalidRows::skip));
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_EQ(rows->rows.size(), 2U);
  EXPECT_EQ(rows->rejected_count, 1U);
  EXPECT_EQ(rows->rejected[0].line, 3U);
}

TEST(DatasetUpload, TimeStampsMustIncreaseAtOneStep) {
  struct Case {
    std::string rows;
    std::string reason;
  };
  const Case cases[] = {
      {"2015-07-01,20,10\n2015-07-01,21,11\n",
       "duplicate time stamp: 2015-07-01 is also on line 2"},
      {"2015-07-02,20,10\n2015-07-01,21,11\n",
       "time stamps out of order: 2015-07-01 comes after 2015-07-02 (line 2)"},
  };
  for (const auto& c : cases) {
    const auto refused = upload("date,tmax_c,tmin_c\n" + c.rows, daily_site());
    ASSERT_FALSE(refused.has_value()) << c.rows;
    ASSERT_EQ(refused.error().problems.size(), 1U);
    EXPECT_EQ(refused.error().problems[0].line, 3U);
    EXPECT_EQ(refused.error().problems[0].column, "date");
    EXPECT_EQ(refused.error().problems[0].reason, c.reason);
  }
  UploadOptions hourly = daily_site();
  hourly.site.longitude_deg = 0;
  hourly.site.tz_offset_h = 0;
  const auto mixed = upload(
      "datetime,t_c,rh_pct,rs_mj_m2\n2015-07-01T00:00,20,50,0\n2015-07-01T00:30,20,50,0\n", hourly);
  ASSERT_FALSE(mixed.has_value());
  EXPECT_NE(mixed.error().problems[0].reason.find("mixed time steps"), std::string::npos);
}

TEST(DatasetUpload, AFileWithoutRowsIsRefused) {
  const auto empty = upload("", daily_site());
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, "INVALID_CSV");
  EXPECT_EQ(empty.error().message, "st.csv:1:1: the file is empty: a header line is required");
  EXPECT_EQ(empty.error().problems[0].line, 1U);
  const auto header_only = upload("date,tmax_c,tmin_c\n", daily_site());
  ASSERT_FALSE(header_only.has_value());
  EXPECT_EQ(header_only.error().code, "NO_ROWS");
}

TEST(DatasetUpload, AMissingSiteValueNamesTheParameterToGive) {
  UploadOptions no_site;
  no_site.source_name = "st.csv";
  const auto refused = upload("date,tmax_c,tmin_c\n2015-07-01,20,10\n", no_site);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "INVALID_CSV");
  EXPECT_EQ(refused.error().message,
            "st.csv:1: no latitude_deg column and no latitude_deg parameter given: the site's "
            "latitude_deg is required");
}

TEST(DatasetUpload, ListsTheFirstHundredProblemsAndCountsAll) {
  std::string text = "date,tmax_c,tmin_c\n";
  for (int i = 0; i < 250; ++i) text += "2015-07-01,1,2\n";
  const auto refused = upload(text, daily_site(), 4096);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().problem_count, 250U);
  ASSERT_EQ(refused.error().problems.size(), kMaxProblemsListed);
  EXPECT_EQ(refused.error().problems.front().line, 2U);
  EXPECT_EQ(refused.error().problems.back().line, 101U);
}

TEST(DatasetUpload, AppendsNeedTheDatasetsColumnsInAnyOrder) {
  UploadOptions append = daily_site();
  append.timestep = io::Timestep::daily;
  append.columns = std::vector<std::string>{"date", "tmax_c", "tmin_c"};
  const auto reordered = upload("tmin_c,date,tmax_c\n10,2015-07-01,20\n", append);
  ASSERT_TRUE(reordered.has_value()) << reordered.error().message;
  EXPECT_EQ(reordered->rows.line(0), "2015-07-01,20,10");
  const auto extra = upload("date,tmax_c,tmin_c,x\n2015-07-01,20,10,1\n", append);
  ASSERT_FALSE(extra.has_value());
  EXPECT_NE(extra.error().message.find("column 'x' is not one of the dataset's columns"),
            std::string::npos);
}

}  // namespace
}  // namespace evapo::datasets
