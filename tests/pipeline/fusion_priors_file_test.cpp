#include <gtest/gtest.h>

#include <evapo/pipeline/fusion_priors_file.hpp>

namespace evapo::pipeline {
namespace {

using core::FusionContext;
using core::Variable;
using domain::SourceId;

TEST(PriorsCsv, OverridesOnlyTheListedEntries) {
  auto provider = parse_priors_csv(
      "context,source,variable,sd\n"
      "reanalysis,nasa_power,tmax_c,0.5\n"
      "*,met_norway,*,4\n");
  ASSERT_TRUE(provider) << provider.error().message;
  const auto reanalysis = (*provider)(FusionContext::reanalysis);
  const auto defaults = core::FusionPriors::defaults(FusionContext::reanalysis);
  EXPECT_DOUBLE_EQ(reanalysis.variance(SourceId::nasa_power, Variable::tmax_c), 0.25);
  EXPECT_DOUBLE_EQ(reanalysis.variance(SourceId::nasa_power, Variable::tmin_c),
                   defaults.variance(SourceId::nasa_power, Variable::tmin_c));
  EXPECT_DOUBLE_EQ(reanalysis.variance(SourceId::met_norway, Variable::rs_mj_m2), 16.0);
  const auto nordic = (*provider)(FusionContext::forecast_nordic);
  EXPECT_DOUBLE_EQ(nordic.variance(SourceId::met_norway, Variable::u2_m_s), 16.0);
  EXPECT_DOUBLE_EQ(nordic.variance(SourceId::nasa_power, Variable::tmax_c),
                   core::FusionPriors::defaults(FusionContext::forecast_nordic)
                       .variance(SourceId::nasa_power, Variable::tmax_c));
}

TEST(PriorsCsv, RejectsBadLinesNamingThem) {
  const char* bad[] = {
      "ctx,source,variable,sd\n",
      "context,source,variable,sd\nreanalysis,nasa,tmax_c,1\n",
      "context,source,variable,sd\nreanalysis,nasa_power,tmax,1\n",
      "context,source,variable,sd\nsomewhere,nasa_power,tmax_c,1\n",
      "context,source,variable,sd\nreanalysis,nasa_power,tmax_c,0\n",
      "context,source,variable,sd\nreanalysis,nasa_power,tmax_c,abc\n",
      "context,source,variable,sd\nreanalysis,nasa_power\n",
  };
  for (const char* text : bad) {
    auto provider = parse_priors_csv(text);
    ASSERT_FALSE(provider) << text;
    EXPECT_EQ(provider.error().code, domain::ErrorCode::invalid_argument);
    EXPECT_NE(provider.error().message.find("line"), std::string::npos);
  }
  EXPECT_FALSE(load_priors_csv("/nonexistent/evapo_priors.csv"));
}

}  // namespace
}  // namespace evapo::pipeline
