// Reading a file in pieces (an upload) gives exactly what reading it whole gives: the same
// records and rows, the same problems, the same first error, wherever the pieces are cut.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/io/csv_document.hpp>
#include <evapo/io/station_reader.hpp>

namespace evapo::io {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Parsed {
  bool ok = false;
  std::string error;
  std::vector<std::string> header;
  std::vector<CsvRecord> records;
};

Parsed parse_in_pieces(std::string_view text, std::size_t piece) {
  CsvStreamParser parser("t.csv");
  Parsed parsed;
  for (std::size_t at = 0; at < text.size(); at += piece) {
    if (auto pushed = parser.push(text.substr(at, piece), parsed.records); !pushed) {
      parsed.error = pushed.error().message;
      return parsed;
    }
  }
  if (auto finished = parser.finish(parsed.records); !finished) {
    parsed.error = finished.error().message;
    return parsed;
  }
  parsed.ok = true;
  parsed.header = *parser.header();
  return parsed;
}

const std::vector<std::string>& syntax_cases() {
  static const std::vector<std::string> cases = {
      "a,b\n1,2\n3,4\n",
      "a,b\r\n1,2\r\n3,4",
      "\xEF\xBB\xBF"
      "a,b\n1,2\n",
      "\xEF\xBB\xBF",
      "\xEF\xBB",
      "a,b\n\"x\"\"y\",\"multi\r\nline\"\n\"\",\n",
      "a,b\n\n\r\n1,2\n\n",
      "a,b\n1,\"unclosed\n2,3\n",
      "a,b\n1,x\"y\n",
      "a,b\n\"1\"x,2\n",
      "a,,b\n1,2,3\n",
      "a,a\n1,2\n",
      "a,b\n1,2,3\n",
      "",
      "\r\n\n",
      "a\r",
      "a,b\n1,2\r",
      "a,b\n\"q\"",
      "a,b\n1,\"q\"\"\"",
      "a,b\n1,2\n3,",
  };
  return cases;
}

TEST(CsvStreamParser, PiecesOfAnySizeReadAsTheWholeText) {
  for (const auto& text : syntax_cases()) {
    const auto whole = parse_csv(text, "t.csv");
    for (std::size_t piece = 1; piece <= text.size() + 1; ++piece) {
      const Parsed parsed = parse_in_pieces(text, piece);
      SCOPED_TRACE("text: " + text + " piece " + std::to_string(piece));
      ASSERT_EQ(parsed.ok, whole.has_value()) << parsed.error;
      if (!whole) {
        EXPECT_EQ(parsed.error, whole.error().message);
        continue;
      }
      EXPECT_EQ(parsed.header, whole->header);
      ASSERT_EQ(parsed.records.size(), whole->records.size());
      for (std::size_t i = 0; i < parsed.records.size(); ++i) {
        EXPECT_EQ(parsed.records[i].line, whole->records[i].line);
        EXPECT_EQ(parsed.records[i].fields, whole->records[i].fields);
      }
    }
  }
}

TEST(CsvStreamParser, EmptyInputIsTheEmptyFileError) {
  const Parsed parsed = parse_in_pieces("", 1);
  EXPECT_FALSE(parsed.ok);
  EXPECT_EQ(parsed.error, "t.csv:1:1: the file is empty: a header line is required");
}

struct Read {
  bool ok = false;
  std::string error;
  std::vector<StationRow> rows;
  std::vector<RowProblem> rejected;
  Timestep timestep = Timestep::daily;
};

Read read_in_pieces(std::string_view text, std::size_t piece, const StationReadOptions& options) {
  StationReader reader(options);
  Read read;
  for (std::size_t at = 0; at < text.size(); at += piece) {
    if (auto pushed = reader.push(text.substr(at, piece), read.rows); !pushed) {
      read.error = pushed.error().message;
      return read;
    }
  }
  if (auto finished = reader.finish(read.rows); !finished) {
    read.error = finished.error().message;
    return read;
  }
  read.ok = true;
  read.rejected = reader.rejected();
  read.timestep = reader.timestep();
  return read;
}

void expect_same_as_whole(const std::string& text, const StationReadOptions& options,
                          const std::vector<std::size_t>& pieces) {
  const auto whole = read_station_csv(text, options);
  for (const std::size_t piece : pieces) {
    SCOPED_TRACE("piece " + std::to_string(piece));
    const Read read = read_in_pieces(text, piece, options);
    ASSERT_EQ(read.ok, whole.has_value()) << read.error;
    if (!whole) {
      EXPECT_EQ(read.error, whole.error().message);
      continue;
    }
    ASSERT_EQ(read.rows.size(), whole->rows.size());
    for (std::size_t i = 0; i < read.rows.size(); ++i) {
      EXPECT_EQ(read.rows[i].line, whole->rows[i].line);
      EXPECT_EQ(read.rows[i].fields, whole->rows[i].fields);
      EXPECT_EQ(read.rows[i].date, whole->rows[i].date);
      EXPECT_EQ(read.rows[i].minute_of_day, whole->rows[i].minute_of_day);
    }
    ASSERT_EQ(read.rejected.size(), whole->rejected.size());
    for (std::size_t i = 0; i < read.rejected.size(); ++i) {
      EXPECT_EQ(read.rejected[i].message, whole->rejected[i].message);
    }
  }
}

TEST(StationReader, TheFallonFilesInPiecesReadAsWhole) {
  const std::string daily =
      read_file(std::string(EVAPO_SOURCE_DIR) + "/examples/fallon_daily_2015.csv");
  const std::string hourly =
      read_file(std::string(EVAPO_SOURCE_DIR) + "/examples/fallon_hourly_2015.csv");
  ASSERT_FALSE(daily.empty());
  ASSERT_FALSE(hourly.empty());
  const StationReadOptions site{.source_name = "f.csv",
                                .timestep = std::nullopt,
                                .site = {.latitude_deg = 39.46,
                                         .longitude_deg = -118.78,
                                         .elevation_m = 1199.0,
                                         .tz_offset_h = -8.0}};
  expect_same_as_whole(daily, site, {1, 13, 4096, 65536});
  expect_same_as_whole(hourly, site, {7, 65536});
  EXPECT_EQ(read_in_pieces(daily, 100, site).timestep, Timestep::daily);
  EXPECT_EQ(read_in_pieces(hourly, 100, site).timestep, Timestep::hourly);
}

TEST(StationReader, ProblemsAndTheFirstErrorDoNotDependOnThePieces) {
  const std::string text =
      "date,tmax_c,tmin_c\n"
      "2015-07-01,20,10\n"
      "2015-07-02,10,20\n"
      "2015-07-03,x,1\n"
      "2015-07-04,21\n"
      "2015-07-05,21,\"11\n";
  StationReadOptions options{.source_name = "st.csv",
                             .site = {.latitude_deg = 40, .elevation_m = 1}};
  expect_same_as_whole(text, options, {1, 2, 5, 17, 1000});
  options.invalid_rows = InvalidRows::skip;
  expect_same_as_whole(text.substr(0, text.rfind("2015-07-05")), options, {1, 3, 1000});
}

TEST(StationReader, TimestepComesFromTheHeaderWhenNotGiven) {
  const StationReadOptions detect{.source_name = "d.csv",
                                  .timestep = std::nullopt,
                                  .site = {.latitude_deg = 40, .elevation_m = 1}};
  const auto neither = read_station_csv("day,tmax_c,tmin_c\n", detect);
  ASSERT_FALSE(neither.has_value());
  EXPECT_EQ(neither.error().message,
            "d.csv:1: missing column 'date' (daily rows) or 'datetime' (hourly rows)");
  const auto both = read_station_csv("date,datetime,t_c\n", detect);
  ASSERT_FALSE(both.has_value());
  EXPECT_NE(both.error().message.find("both a 'date' and a 'datetime' column"), std::string::npos);
}

TEST(StationReader, KeepsTheFirstProblemsAndCountsThemAll) {
  std::string text = "date,tmax_c,tmin_c\n";
  for (int day = 1; day <= 28; ++day)
    text += "2015-02-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + ",1,2\n";
  StationReader reader({.source_name = "m.csv",
                        .invalid_rows = InvalidRows::skip,
                        .site = {.latitude_deg = 40, .elevation_m = 1},
                        .max_rejected_kept = 5});
  std::vector<StationRow> rows;
  ASSERT_TRUE(reader.push(text, rows).has_value());
  ASSERT_TRUE(reader.finish(rows).has_value());
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(reader.rejected_count(), 28U);
  ASSERT_EQ(reader.rejected().size(), 5U);
  EXPECT_EQ(reader.rejected()[0].line, 2U);
  EXPECT_EQ(reader.rejected()[0].field, 3U);
  EXPECT_EQ(reader.rejected()[0].column, "tmin_c");
  EXPECT_EQ(reader.rejected()[0].reason, "Tmin 2 is above Tmax 1");
  EXPECT_EQ(reader.rejected()[0].message, "m.csv:2:3: tmin_c: Tmin 2 is above Tmax 1");
}

}  // namespace
}  // namespace evapo::io
