// Datasets in a real (in-memory SQLite) store: created whole, read back through the reader,
// appended to with the overlap rule, and refused when an append breaks the time step.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <evapo/datasets/dataset_calculation.hpp>
#include <evapo/datasets/dataset_records.hpp>
#include <evapo/storage/workspace_stores.hpp>

namespace evapo::datasets {
namespace {

constexpr const char* kNow = "2026-01-01T00:00:00.000Z";

UploadedRows read_rows(const std::string& text,
                       std::optional<std::vector<std::string>> columns = {}) {
  UploadOptions options;
  options.source_name = "st.csv";
  options.site = {.latitude_deg = 40.0, .elevation_m = 100.0};
  options.columns = std::move(columns);
  if (options.columns) options.timestep = io::Timestep::daily;
  DatasetUpload upload(options);
  EXPECT_TRUE(upload.push(text).has_value());
  auto rows = upload.finish();
  EXPECT_TRUE(rows.has_value()) << (rows ? "" : rows.error().message);
  return std::move(*rows);
}

class DatasetRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stores = storage::open_workspace_stores("sqlite://:memory:");
    ASSERT_TRUE(stores.has_value()) << stores.error().message;
    store_ = stores->datasets;
    auto rows = read_rows("date,tmax_c,tmin_c\n2015-07-01,20,10\n2015-07-02,22,12\n");
    record_ =
        new_dataset_record("d1", "w1", "Fallon", rows, {.latitude_deg = 40.0, .elevation_m = 100.0},
                           {.file_name = "st.csv", .bytes = 40, .parse_seconds = 0.001}, kNow);
    ASSERT_TRUE(store_->create(record_, rows.rows).has_value());
  }

  std::vector<double> tmax() {
    auto meta = parse_meta(record_.meta_json);
    std::vector<double> values;
    EXPECT_TRUE(read_stored_rows(*store_, record_, *meta,
                                 [&](const io::StationRow& row) -> domain::Expected<void> {
                                   values.push_back(row.tmax_c);
                                   return {};
                                 })
                    .has_value());
    return values;
  }

  std::shared_ptr<storage::DatasetStore> store_;
  storage::DatasetRecord record_;
};

TEST_F(DatasetRecordsTest, StoredRowsReadBackAsUploaded) {
  EXPECT_EQ(tmax(), (std::vector<double>{20.0, 22.0}));
  auto meta = parse_meta(record_.meta_json);
  ASSERT_TRUE(meta.has_value());
  const auto rows = rows_json(*store_, record_, *meta, 1, 10);
  ASSERT_TRUE(rows.has_value());
  EXPECT_EQ((*rows)["total"], 2);
  ASSERT_EQ((*rows)["rows"].size(), 1U);
  EXPECT_EQ((*rows)["rows"][0]["date"], "2015-07-02");
  EXPECT_EQ((*rows)["rows"][0]["tmax_c"], 22.0);
  const auto json = dataset_json(record_, *meta);
  EXPECT_EQ(json["site"]["latitude_deg"], 40.0);
  EXPECT_EQ(json["period"]["end"], "2015-07-02");
}

TEST_F(DatasetRecordsTest, AppendsNewerRowsAndRecomputesTheDescription) {
  auto meta = parse_meta(record_.meta_json);
  auto appended = append_rows(*store_, record_, *meta,
                              read_rows("date,tmax_c,tmin_c\n2015-07-05,30,15\n", meta->columns),
                              OverlapRule::refuse, kNow);
  ASSERT_TRUE(appended.has_value()) << appended.error().message;
  EXPECT_EQ(appended->added, 1);
  EXPECT_EQ(appended->record.row_count, 3);
  EXPECT_EQ(appended->record.version, 2);
  record_ = appended->record;
  EXPECT_EQ(tmax(), (std::vector<double>{20.0, 22.0, 30.0}));
  const auto stats = parse_meta(record_.meta_json)->stats;
  EXPECT_EQ(stats["gaps"]["missing_steps"], 2);
  EXPECT_EQ(stats["summary"]["tmax_c"]["max"], 30.0);
}

TEST_F(DatasetRecordsTest, OverlapsAreRefusedUnlessReplacing) {
  auto meta = parse_meta(record_.meta_json);
  const std::string overlap = "date,tmax_c,tmin_c\n2015-07-02,25,5\n2015-07-03,26,6\n";
  auto refused = append_rows(*store_, record_, *meta, read_rows(overlap, meta->columns),
                             OverlapRule::refuse, kNow);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->overlap_count, 1);
  EXPECT_EQ(refused->overlapping, (std::vector<std::string>{"2015-07-02"}));
  EXPECT_EQ(tmax(), (std::vector<double>{20.0, 22.0}));  // nothing written
  auto replaced = append_rows(*store_, record_, *meta, read_rows(overlap, meta->columns),
                              OverlapRule::replace, kNow);
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->replaced, 1);
  EXPECT_EQ(replaced->added, 1);
  record_ = replaced->record;
  EXPECT_EQ(tmax(), (std::vector<double>{20.0, 25.0, 26.0}));
}

TEST_F(DatasetRecordsTest, AStaleVersionIsRefusedByTheStore) {
  auto meta = parse_meta(record_.meta_json);
  auto first = append_rows(*store_, record_, *meta,
                           read_rows("date,tmax_c,tmin_c\n2015-07-03,1,0\n", meta->columns),
                           OverlapRule::refuse, kNow);
  ASSERT_TRUE(first.has_value());
  // record_ still has version 1: a second append computed from it lost the race.
  auto second = append_rows(*store_, record_, *meta,
                            read_rows("date,tmax_c,tmin_c\n2015-07-04,1,0\n", meta->columns),
                            OverlapRule::refuse, kNow);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, domain::ErrorCode::unavailable);
}

TEST(DatasetComparison, ScoresTheSourcesAgainstTheStationOnCommonDays) {
  const std::vector<std::pair<std::string, double>> station = {
      {"2015-07-01", 5.0}, {"2015-07-02", 6.0}, {"2015-07-03", 7.0}};
  const nlohmann::json gridded = nlohmann::json::array(
      {{{"date", "2015-07-01"}, {"eto_mm", 5.5}}, {{"date", "2015-07-03"}, {"eto_mm", 7.5}}});
  const auto comparison = comparison_json(station, gridded);
  EXPECT_EQ(comparison["summary"]["pairs"], 2);
  EXPECT_EQ(comparison["summary"]["bias_mm"], 0.5);
  EXPECT_EQ(comparison["summary"]["rmse_mm"], 0.5);
  EXPECT_EQ(comparison["summary"]["r_squared"], 1.0);
  EXPECT_EQ(comparison["days"][1]["gridded_eto_mm"], nullptr);
  EXPECT_EQ(comparison["days"][2]["difference_mm"], 0.5);
}

}  // namespace
}  // namespace evapo::datasets
