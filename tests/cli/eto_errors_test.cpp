// `evapo eto` on bad input: exit code 2, one clear message on stderr naming file, line, column
// and reason, and nothing at all on stdout.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "run_evapo.hpp"

namespace evapo::cli_test {
namespace {

struct ErrorCase {
  const char* name;
  std::vector<std::string> args;
  std::string input;
  std::string message;  // the whole of stderr
};

const std::string kHeader = "date,tmax_c,tmin_c,rh_mean_pct,rs_mj_m2,wind_m_s\n";
const std::string kGood = "2015-07-06,21.5,12.3,70,22,2\n";

TEST(EtoCommandErrors, ExitTwoWithAClearMessageAndNoOutput) {
  const ErrorCase cases[] = {
      {"tmin above tmax",
       {"eto", "--latitude", "50", "--elevation", "100"},
       kHeader + kGood + "2015-07-07,10,12.5,70,22,2\n",
       "evapo eto: -:3:3: tmin_c: Tmin 12.5 is above Tmax 10\n"},
      {"rh above 100",
       {"eto", "--latitude", "50", "--elevation", "100"},
       kHeader + kGood + kGood + "2015-07-08,21,12,100.5,22,2\n",
       "evapo eto: -:4:4: rh_mean_pct: 100.5 is outside the physically possible range [0, 100] "
       "of mean relative humidity, %\n"},
      {"negative rs",
       {"eto", "--latitude", "50", "--elevation", "100"},
       kHeader + "2015-07-08,21,12,70,-3,2\n",
       "evapo eto: -:2:5: rs_mj_m2: -3 is outside the physically possible range [0, 50] of solar "
       "radiation, MJ m-2 d-1\n"},
      {"negative wind",
       {"eto", "--latitude", "50", "--elevation", "100"},
       kHeader + "2015-07-08,21,12,70,20,-0.1\n",
       "evapo eto: -:2:6: wind_m_s: -0.1 is outside the physically possible range [0, 100] of "
       "mean wind speed at wind_height_m, m/s\n"},
      {"not a number",
       {"eto", "--latitude", "50", "--elevation", "100"},
       kHeader + "2015-07-08,21,12,70,20,2 m/s\n",
       "evapo eto: -:2:6: wind_m_s: '2 m/s' is not a number\n"},
      {"bad date",
       {"eto", "--latitude", "50", "--elevation", "100"},
       kHeader + "07/08/2015,21,12,70,20,2\n",
       "evapo eto: -:2:1: date: '07/08/2015' is not a date YYYY-MM-DD\n"},
      {"missing column",
       {"eto", "--latitude", "50", "--elevation", "100"},
       "date,tmax_c\n2015-07-06,21.5\n",
       "evapo eto: -:1: missing column 'tmin_c'\n"},
      {"no latitude",
       {"eto", "--elevation", "100"},
       kHeader + kGood,
       "evapo eto: -:1: no latitude_deg column and no --latitude given: the site's latitude_deg "
       "is required\n"},
      {"no elevation",
       {"eto", "--latitude", "50"},
       kHeader + kGood,
       "evapo eto: -:1: no elevation_m column and no --elevation given: the site's elevation_m "
       "is required\n"},
      {"unclosed quote",
       {"eto", "--latitude", "50", "--elevation", "100"},
       kHeader + "\"2015-07-06,21.5,12.3,70,22,2\n",
       "evapo eto: -:2:1: the quoted field opened on line 2 is never closed\n"},
      {"wrong field count",
       {"eto", "--latitude", "50", "--elevation", "100"},
       kHeader + "2015-07-06,21.5,12.3,70,22\n",
       "evapo eto: -:2:6: expected 6 fields as in the header, found 5\n"},
      {"empty input",
       {"eto", "--latitude", "50", "--elevation", "100"},
       "",
       "evapo eto: -:1:1: the file is empty: a header line is required\n"},
      {"missing file",
       {"eto", "--latitude", "50", "--elevation", "100", "no/such/file.csv"},
       "",
       "evapo eto: cannot read no/such/file.csv: No such file or directory\n"},
      {"named file in message",
       {"eto", "--timestep", "hourly", "--method", "hargreaves", "examples/fallon_hourly_2015.csv"},
       "",
       "evapo eto: --method hargreaves is daily only (FAO-56 Eq. 52)\n"},
      {"hourly file read as daily",
       {"eto", "examples/fallon_hourly_2015.csv"},
       "",
       "evapo eto: examples/fallon_hourly_2015.csv:1: missing column 'date'\n"},
      {"skip-invalid does not skip a broken file",
       {"eto", "--skip-invalid", "--latitude", "50", "--elevation", "100"},
       "date,tmax_c\n2015-07-06,21.5\n",
       "evapo eto: -:1: missing column 'tmin_c'\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto run = run_evapo(c.args, c.input);
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.err, c.message);
    EXPECT_EQ(run.out, "");
  }
}

TEST(EtoCommandErrors, ALateBadRowStillProducesNoPartialOutput) {
  std::string text = kHeader;
  for (int day = 1; day <= 28; ++day) {
    text += "2015-02-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + ",10,2,70,12,2\n";
  }
  text += "2015-03-01,10,2,70,12,-2\n";
  const auto run = run_evapo({"eto", "--latitude", "40", "--elevation", "0"}, text);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("-:30:6: wind_m_s"), std::string::npos) << run.err;
}

TEST(EtoCommandErrors, BadFlagValuesExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"eto", "--method", "penman"},
           {"eto", "--method", "1"},
           {"eto", "--timestep", "monthly"},
           {"eto", "--rso", "medium"},
           {"eto", "--format", "xml"},
           {"eto", "--timestamp", "middle"},
           {"eto", "--latitude", "95"},
           {"eto", "--latitude", "north"},
           {"eto", "--wind-height", "0"},
           {"eto", "--tz-offset", "15"},
           {"eto", "--no-such-flag"},
       }) {
    SCOPED_TRACE(args[1] + " " + (args.size() > 2 ? args[2] : ""));
    const auto run = run_evapo(args, kHeader + kGood);
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.err, "");
  }
}

}  // namespace
}  // namespace evapo::cli_test
