// The one decoder of a calculation request (the POST body and the stored copy of a task).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <evapo/pipeline/request_json.hpp>

namespace evapo::pipeline {
namespace {

TEST(RequestJson, RoundTripsEveryField) {
  CalculationRequest request;
  request.latitude_deg = 39.5;
  request.longitude_deg = -118.8;
  request.start_date = std::chrono::year{2015} / 6 / 1;
  request.end_date = std::chrono::year{2015} / 6 / 30;
  request.mode = Mode::recent;
  request.sources = {domain::SourceId::nasa_power, domain::SourceId::met_norway};
  request.elevation_m = 1200.0;
  request.allow_sea = true;
  const auto json = request_to_json(request);
  EXPECT_EQ(json["start_date"], "2015-06-01");
  EXPECT_EQ(json["mode"], "recent");
  const auto back = parse_calculation_request(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->latitude_deg, 39.5);
  EXPECT_EQ(back->longitude_deg, -118.8);
  EXPECT_EQ(back->start_date, request.start_date);
  EXPECT_EQ(back->end_date, request.end_date);
  EXPECT_EQ(back->mode, Mode::recent);
  EXPECT_EQ(back->sources, request.sources);
  EXPECT_EQ(back->elevation_m, 1200.0);
  EXPECT_TRUE(back->allow_sea);
}

TEST(RequestJson, RejectsMalformedRequestsNamingTheField) {
  const nlohmann::json good = {{"latitude", 1.0},
                               {"longitude", 2.0},
                               {"start_date", "2024-01-01"},
                               {"end_date", "2024-01-02"}};
  ASSERT_TRUE(parse_calculation_request(good));
  EXPECT_FALSE(parse_calculation_request(good)->allow_sea);
  const struct {
    const char* field;
    nlohmann::json value;
  } cases[] = {{"latitude", "north"},    {"start_date", "2024-02-30"}, {"mode", "someday"},
               {"sources", {"nowhere"}}, {"elevation_m", "high"},      {"allow_sea", "yes"}};
  for (const auto& c : cases) {
    auto bad = good;
    bad[c.field] = c.value;
    const auto parsed = parse_calculation_request(bad);
    ASSERT_FALSE(parsed) << c.field;
    EXPECT_EQ(parsed.error().code, domain::ErrorCode::invalid_argument);
  }
  auto missing = good;
  missing.erase("end_date");
  EXPECT_FALSE(parse_calculation_request(missing));
  EXPECT_FALSE(parse_calculation_request(nlohmann::json::array()));
}

TEST(RequestJson, ADatasetCalculationIsReadFromTheStoredCopyOnly) {
  CalculationRequest request;
  request.latitude_deg = 39.46;
  request.longitude_deg = -118.78;
  request.start_date = std::chrono::year{2015} / 1 / 1;
  request.end_date = std::chrono::year{2015} / 12 / 31;
  request.dataset = DatasetCalculation{.dataset_id = std::string(32, 'a'),
                                       .eto = {.method = core::Method::asce_tall,
                                               .rso = core::RsoModel::full,
                                               .timestamp = core::TimestampConvention::period_start,
                                               .constants = core::ConstantSet::ref_et,
                                               .krs = 0.16,
                                               .angstrom_as = 0.25,
                                               .angstrom_bs = 0.50},
                                       .comparison = Comparison::public_sources};
  const auto json = request_to_json(request);
  EXPECT_EQ(json["dataset"]["method"], "asce-tall");  // evapo eto's names
  const auto back = parse_calculation_request(json, RequestOrigin::stored);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_TRUE(back->dataset.has_value());
  EXPECT_EQ(back->dataset->dataset_id, std::string(32, 'a'));
  EXPECT_EQ(back->dataset->eto.method, core::Method::asce_tall);
  EXPECT_EQ(back->dataset->eto.rso, core::RsoModel::full);
  EXPECT_EQ(back->dataset->eto.timestamp, core::TimestampConvention::period_start);
  EXPECT_EQ(back->dataset->eto.constants, core::ConstantSet::ref_et);
  EXPECT_EQ(back->dataset->comparison, Comparison::public_sources);
  EXPECT_EQ(request_to_json(*back), json);
  // A client may not name a dataset in a map calculation's body (that route does not check the
  // dataset's workspace): an unknown field there.
  const auto from_client = parse_calculation_request(json);
  ASSERT_FALSE(from_client);
  EXPECT_EQ(from_client.error().details.at(0).field, "dataset");
  auto bad = json;
  bad["dataset"]["method"] = "guess";
  EXPECT_FALSE(parse_calculation_request(bad, RequestOrigin::stored));
}

}  // namespace
}  // namespace evapo::pipeline
