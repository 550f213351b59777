// Fusion priors: deploy (validated, versioned, active at once, announced), a bad file changes
// nothing, rollback restores the version before, the state survives a reopen.

#include <cmath>

#include <gtest/gtest.h>

#include <evapo/ops/priors_registry.hpp>

#include "channel_test_support.hpp"

namespace evapo::ops {
namespace {

using testing::eventually;
using testing::open_channel;
using testing::Recorder;
using testing::TempDir;

constexpr const char* kGood =
    "context,source,variable,sd\n"
    "reanalysis,nasa_power,tmax_c,9.5\n"
    "*,open_meteo_archive,*,0.25\n";

double nasa_tmax_sd(const PriorsRegistry& registry) {
  const auto priors = registry.provider()(core::FusionContext::reanalysis);
  return std::sqrt(priors.variance(domain::SourceId::nasa_power, core::Variable::tmax_c));
}

std::unique_ptr<PriorsRegistry> open_registry(const std::filesystem::path& file,
                                              EventChannel& channel) {
  auto db = storage::SqliteDatabase::open(file.string());
  if (!db) throw std::runtime_error(db.error().message);
  auto registry = PriorsRegistry::open(std::move(*db), channel);
  if (!registry) throw std::runtime_error(registry.error().message);
  return std::move(*registry);
}

TEST(PriorsRegistry, DeployRollbackAndABadFileThatChangesNothing) {
  TempDir dir("priors");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  Recorder events;
  auto subscription =
      channel->subscribe(TopicSet().add(Topic::sources).add(Topic::activity), 0, events.handler());
  auto registry = open_registry(dir.path() / "priors.sqlite3", *channel);
  const double built_in = nasa_tmax_sd(*registry);
  EXPECT_NE(built_in, 9.5);

  auto deployed = registry->deploy(kGood, "wider NASA Tmax");
  ASSERT_TRUE(deployed) << deployed.error().message;
  EXPECT_EQ((*deployed)["active_version"], 1);
  EXPECT_EQ((*deployed)["active"]["rows"], 2);
  EXPECT_EQ((*deployed)["active"]["note"], "wider NASA Tmax");
  EXPECT_DOUBLE_EQ(nasa_tmax_sd(*registry), 9.5);

  // Unknown source, bad sd, wrong header, no rows: refused with the reason, nothing changes.
  for (const char* bad :
       {"context,source,variable,sd\nreanalysis,nasa_powr,tmax_c,1\n",
        "context,source,variable,sd\nreanalysis,nasa_power,tmax_c,-1\n",
        "ctx,src,var,sd\nreanalysis,nasa_power,tmax_c,1\n", "context,source,variable,sd\n", ""}) {
    auto refused = registry->deploy(bad, "");
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, domain::ErrorCode::invalid_argument);
    ASSERT_FALSE(refused.error().details.empty());
    EXPECT_FALSE(refused.error().details[0].reason.empty());
  }
  auto refused =
      registry->deploy("context,source,variable,sd\nreanalysis,nasa_powr,tmax_c,1\n", "");
  EXPECT_NE(refused.error().details[0].reason.find("line 2"), std::string::npos);
  EXPECT_NE(refused.error().details[0].reason.find("nasa_powr"), std::string::npos);
  EXPECT_DOUBLE_EQ(nasa_tmax_sd(*registry), 9.5);
  EXPECT_EQ((*registry->state())["active_version"], 1);

  auto second = registry->deploy("context,source,variable,sd\n*,nasa_power,tmax_c,4\n", "");
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)["active_version"], 2);
  EXPECT_DOUBLE_EQ(nasa_tmax_sd(*registry), 4.0);

  auto back = registry->roll_back();
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)["active_version"], 1);
  EXPECT_DOUBLE_EQ(nasa_tmax_sd(*registry), 9.5);
  ASSERT_TRUE(registry->roll_back());
  EXPECT_DOUBLE_EQ(nasa_tmax_sd(*registry), built_in);
  auto nothing = registry->roll_back();
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, domain::ErrorCode::not_found);

  // Each change announced: deploy 1, deploy 2, rollback to 1, rollback to 0.
  ASSERT_TRUE(eventually([&] { return events.size() == 8; }));
  std::vector<std::string> announced;
  for (const auto& event : events.events()) {
    const auto data = event->data();
    if (event->type == "priors_deployed") {
      announced.push_back(data["action"].get<std::string>() + " " + data["version"].dump() +
                          " from " + data["previous_version"].dump());
    } else {
      EXPECT_EQ(data["kind"], "priors");
    }
  }
  EXPECT_EQ(announced, (std::vector<std::string>{"deploy 1 from 0", "deploy 2 from 1",
                                                 "rollback 1 from 2", "rollback 0 from 1"}));
  EXPECT_EQ(*registry->csv_of(1), kGood);
}

TEST(PriorsRegistry, TheActiveVersionSurvivesAReopen) {
  TempDir dir("priors_reopen");
  auto channel = open_channel(dir.path() / "ops.sqlite3");
  {
    auto registry = open_registry(dir.path() / "priors.sqlite3", *channel);
    ASSERT_TRUE(registry->deploy(kGood, ""));
  }
  auto registry = open_registry(dir.path() / "priors.sqlite3", *channel);
  EXPECT_EQ((*registry->state())["active_version"], 1);
  EXPECT_DOUBLE_EQ(nasa_tmax_sd(*registry), 9.5);
}

}  // namespace
}  // namespace evapo::ops
