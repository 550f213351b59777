// `evapo calc` as a user runs it: exit codes 0 / 2 / 3 and the output formats, against the
// upstream simulator.

#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <support/upstream_simulator.hpp>

#include <evapo/pipeline/calculation.hpp>

namespace evapo::pipeline {
namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

// Runs `evapo calc <args>`, stdout captured, stderr to a file that is appended to `out`.
Run calc(const std::string& args) {
  const std::string binary = std::string(EVAPO_BINARY_DIR) + "/apps/evapo/evapo";
  const std::string err =
      (std::filesystem::temp_directory_path() / ("evapo_calc_err_" + std::to_string(::getpid())))
          .string();
  const std::string command = binary + " calc " + args + " 2>" + err;
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (FILE* e = std::fopen(err.c_str(), "r")) {
    while ((n = std::fread(buffer, 1, sizeof buffer, e)) > 0) run.out.append(buffer, n);
    std::fclose(e);
  }
  std::filesystem::remove(err);
  return run;
}

class CalcCli : public ::testing::Test {
 protected:
  CalcCli()
      : sim_(testing::UpstreamSimulator::Options{
            .latency_ms = 0,
            .replay_fixtures = false,
            .today = domain::format_iso_date(local_today(-22.7, -47.6)),
            .extra_args = {}}) {
    sim_.export_environment();
    ::setenv("EVAPO_HTTP_MAX_ATTEMPTS", "1", 1);
    data_dir_ =
        (std::filesystem::temp_directory_path() / ("evapo_calc_cli_" + std::to_string(::getpid())))
            .string();
    std::filesystem::remove_all(data_dir_);
  }
  ~CalcCli() override { std::filesystem::remove_all(data_dir_); }

  std::string dates() const {
    const auto end = domain::add_days(local_today(-22.7, -47.6), -40);
    return " --start " + domain::format_iso_date(domain::add_days(end, -9)) + " --end " +
           domain::format_iso_date(end) + " --data-dir " + data_dir_;
  }

  testing::UpstreamSimulator sim_;
  std::string data_dir_;
};

TEST_F(CalcCli, JsonResultAndSecondRunFromTheCache) {
  const auto first = calc("--lat -22.7 --lon -47.6 --format json" + dates());
  ASSERT_EQ(first.exit_code, 0) << first.out;
  const auto json = nlohmann::json::parse(first.out);
  EXPECT_EQ(json.at("days").size(), 10U);
  EXPECT_TRUE(json.at("days").at(0).at("eto_mm").is_number());
  const int requests = sim_.requests("nasa_power");
  const auto second = calc("--lat -22.7 --lon -47.6 --format csv" + dates());
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_EQ(second.out.rfind("date,eto_mm,eto_sd_mm,quality", 0), 0U);
  EXPECT_EQ(sim_.requests("nasa_power"), requests);
}

TEST_F(CalcCli, InvalidPointOrDatesExit2WithAClearMessage) {
  auto bad_lat = calc("--lat 91 --lon 0" + dates());
  EXPECT_EQ(bad_lat.exit_code, 2);
  EXPECT_NE(bad_lat.out.find("latitude"), std::string::npos) << bad_lat.out;
  auto bad_date = calc("--lat 0 --lon 0 --start 2025-02-30 --end 2025-03-01");
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_NE(bad_date.out.find("--start"), std::string::npos) << bad_date.out;
  auto future = calc("--lat 0 --lon 0 --start 2025-01-01 --end 2099-01-01");
  EXPECT_EQ(future.exit_code, 2);
  auto no_dates = calc("--lat 0 --lon 0");
  EXPECT_EQ(no_dates.exit_code, 2);
}

TEST_F(CalcCli, OverTheSeaExit2UnlessAllowed) {
  const auto refused = calc("--lat -26.16 --lon -44.60 --no-cache" + dates());
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.out.find("over the sea"), std::string::npos) << refused.out;
  EXPECT_EQ(sim_.requests("nasa_power"), 0);
  const auto allowed =
      calc("--lat -26.16 --lon -44.60 --allow-sea --format json --no-cache" + dates());
  ASSERT_EQ(allowed.exit_code, 0) << allowed.out;
  EXPECT_NE(allowed.out.find("over the sea"), std::string::npos) << "warned on stderr";
}

TEST_F(CalcCli, AllSourcesFailingExit3WithEachReason) {
  sim_.set_fault(R"({"source":"nasa_power","fault":"status_500","count":0})");
  sim_.set_fault(R"({"source":"open_meteo_archive","fault":"invalid_json","count":0})");
  const auto run = calc("--lat -22.7 --lon -47.6 --no-cache" + dates());
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_NE(run.out.find("nasa_power"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("open_meteo_archive"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace evapo::pipeline
