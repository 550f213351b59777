#include <cmath>

#include <gtest/gtest.h>

#include <evapo/domain/weather_day.hpp>
#include <evapo/io/csv_document.hpp>
#include <evapo/io/table_writer.hpp>

namespace evapo::io {
namespace {

OutputTable sample_table() {
  OutputTable table;
  table.columns = {"date", "tmax_c", "note", "eto_mm", "flags"};
  table.rows.push_back({std::string("2015-07-06"), RawNumber{"21.50", 21.5},
                        std::string("a \"quoted\", text"), 3.88049,
                        std::vector<std::string>{"ea_from_rh_max_min", "wind_defaulted"}});
  table.rows.push_back({std::string("2015-07-07"), RawNumber{"", domain::kMissing},
                        std::monostate{}, domain::kMissing, std::vector<std::string>{}});
  table.rows.push_back({std::string("2015-07-08"), RawNumber{"1", 1.0}, std::string("x"), -0.00001,
                        std::vector<std::string>{}});
  return table;
}

TEST(WriteCsv, QuotesWhenNeededAndKeepsRawNumbers) {
  EXPECT_EQ(write_csv(sample_table()),
            "date,tmax_c,note,eto_mm,flags\n"
            "2015-07-06,21.50,\"a \"\"quoted\"\", text\",3.8805,ea_from_rh_max_min;wind_defaulted\n"
            "2015-07-07,,,,\n"
            "2015-07-08,1,x,0.0000,\n");
}

TEST(WriteCsv, RoundTripsThroughTheReader) {
  const auto document = parse_csv(write_csv(sample_table()), "out.csv");
  ASSERT_TRUE(document.has_value()) << document.error().message;
  EXPECT_EQ(document->records[0].fields[2], "a \"quoted\", text");
  EXPECT_EQ(document->records.size(), 3U);
}

TEST(WriteCsv, KeepsWhatAReaderWouldDrop) {
  // A lone empty field would read back as an empty line (skipped); a leading byte-order mark
  // as the file's own (stripped).
  OutputTable table{{"\xEF\xBB\xBFx"}, {{std::string()}, {std::string("1")}}};
  const auto text = write_csv(table);
  EXPECT_EQ(text, "\"\xEF\xBB\xBFx\"\n\"\"\n1\n");
  const auto document = parse_csv("\xEF\xBB\xBF" + text, "t.csv");
  ASSERT_TRUE(document.has_value()) << document.error().message;
  EXPECT_EQ(document->header[0], "\xEF\xBB\xBFx");
  ASSERT_EQ(document->records.size(), 2U);
  EXPECT_EQ(document->records[0].fields[0], "");
}

TEST(WriteCsv, HonoursDecimals) {
  OutputTable table{{"x"}, {{2.0 / 3.0}}};
  EXPECT_EQ(write_csv(table, {.decimals = 2}), "x\n0.67\n");
}

TEST(WriteJson, WritesTypedValuesInColumnOrder) {
  const auto text = write_json(sample_table(), {{"method", "fao56"}});
  const auto json = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(json["meta"]["method"], "fao56");
  ASSERT_EQ(json["rows"].size(), 3U);
  const auto& first = json["rows"][0];
  EXPECT_EQ(first.begin().key(), "date");
  EXPECT_EQ(first["date"], "2015-07-06");
  EXPECT_DOUBLE_EQ(first["tmax_c"].get<double>(), 21.5);
  EXPECT_DOUBLE_EQ(first["eto_mm"].get<double>(), 3.8805);
  EXPECT_EQ(first["flags"],
            nlohmann::ordered_json::array({"ea_from_rh_max_min", "wind_defaulted"}));
  const auto& second = json["rows"][1];
  EXPECT_TRUE(second["tmax_c"].is_null());
  EXPECT_TRUE(second["note"].is_null());
  EXPECT_TRUE(second["eto_mm"].is_null());
  EXPECT_TRUE(second["flags"].empty());
}

TEST(WriteJson, SurvivesInvalidUtf8InPassThroughText) {
  OutputTable table{{"note"}, {{std::string("bad \xff byte")}}};
  EXPECT_NO_THROW({
    const auto json =
        nlohmann::ordered_json::parse(write_json(table, nlohmann::ordered_json::object()));
    EXPECT_TRUE(json["rows"][0]["note"].is_string());
  });
}

}  // namespace
}  // namespace evapo::io
