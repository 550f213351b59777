// Issue 14 through the real server: workspaces and who sees what, station CSV uploads (good,
// bad, too big, wrong type, truncated, slow, chunked, multipart), their events on the operations
// channel, appends, a dataset's ETo equal to `evapo eto` to the last digit, the comparison with
// the public sources, monitored sites, and a server killed mid-upload leaving nothing behind.

#include <cstdio>
#include <cstring>
#include <fstream>
#include <signal.h>
#include <sstream>

#include "host_process.hpp"
#include "station_server_fixture.hpp"

namespace evapo::server::testing {
namespace {

constexpr const char* kDaily =
    "date,tmax_c,tmin_c,tdew_c,rs_mj_m2,wind_m_s\n"
    "2015-07-01,33.1,12.4,5.2,29.1,2.9\n"
    "2015-07-02,34.0,13.0,6.0,28.7,3.1\n"
    "2015-07-03,31.5,14.2,7.1,27.9,2.4\n";
constexpr const char* kSite = "latitude_deg=39.46&longitude_deg=-118.78&elevation_m=1208.5";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string example(const std::string& name) {
  return read_text(std::filesystem::path(EVAPO_SOURCE_DIR) / "examples" / name);
}

// `evapo eto <args>` on a file: its JSON output.
nlohmann::json evapo_eto(const std::vector<std::string>& args) {
  std::string command = std::string(EVAPO_BINARY_DIR) + "/apps/evapo/evapo eto --format json";
  for (const auto& arg : args) command += " '" + arg + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  std::string out;
  char buffer[65536];
  std::size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
  pclose(pipe);
  return nlohmann::json::parse(out, nullptr, false);
}

nlohmann::json wait_for_task(std::uint16_t port, const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    auto task = http_get(port, "/api/v1/tasks/" + id).json();
    const std::string status = task.value("status", "");
    if (status != "queued" && status != "processing") return task;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {};
}

HttpResult upload_csv(std::uint16_t port, const std::string& key, const std::string& text,
                      const std::string& query = kSite) {
  return authed(port, http::verb::post, "/api/v1/datasets?" + query, key, text, "text/csv");
}

TEST(Workspaces, AKeySeesOnlyItsOwnDataAndAnotherGets404) {
  StationServer server;
  const std::string alice = new_workspace_key(server.port());
  const std::string bob = new_workspace_key(server.port());
  ASSERT_TRUE(alice.starts_with("evapo_ws_"));
  ASSERT_NE(alice, bob);
  const auto created = upload_csv(server.port(), alice, kDaily);
  ASSERT_EQ(created.status, 201U) << created.body;
  const std::string id = created.json()["id"];
  EXPECT_EQ(authed(server.port(), http::verb::get, "/api/v1/datasets/" + id, alice).status, 200U);
  for (const auto& target : {"/api/v1/datasets/" + id, "/api/v1/datasets/" + id + "/rows"}) {
    const auto other = authed(server.port(), http::verb::get, target, bob);
    EXPECT_EQ(other.status, 404U) << target;
    EXPECT_EQ(other.body.find("tmax_c"), std::string::npos);
  }
  EXPECT_EQ(authed(server.port(), http::verb::delete_, "/api/v1/datasets/" + id, bob).status, 404U);
  EXPECT_EQ(
      authed(server.port(), http::verb::post, "/api/v1/datasets/" + id + "/calculations", bob, "{}")
          .status,
      404U);
  EXPECT_EQ(
      authed(server.port(), http::verb::get, "/api/v1/datasets", bob).json()["datasets"].size(),
      0U);
  EXPECT_EQ(
      authed(server.port(), http::verb::get, "/api/v1/datasets", alice).json()["datasets"].size(),
      1U);
  // No key, or a made-up one: 401.
  EXPECT_EQ(http_get(server.port(), "/api/v1/datasets").status, 401U);
  EXPECT_EQ(
      authed(server.port(), http::verb::get, "/api/v1/datasets", "evapo_ws_" + std::string(64, 'a'))
          .status,
      401U);
  // The dataset is still there for its owner.
  EXPECT_EQ(authed(server.port(), http::verb::get, "/api/v1/datasets/" + id, alice).status, 200U);
}

TEST(Workspaces, TheAdminTokenSeesEveryWorkspaceAndOwnsNone) {
  ServerConfig config;
  config.admin_token = "an-admin-token-of-some-length";
  StationServer server(config);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(upload_csv(server.port(), new_workspace_key(server.port()), kDaily).status, 201U);
  }
  const auto all = authed(server.port(), http::verb::get, "/api/v1/datasets", config.admin_token);
  ASSERT_EQ(all.status, 200U);
  EXPECT_EQ(all.json()["datasets"].size(), 2U);
  EXPECT_EQ(upload_csv(server.port(), config.admin_token, kDaily).status, 403U);
}

TEST(DatasetUpload, ACsvIsStoredWithItsDescriptionAndEvents) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  const auto created = upload_csv(server.port(), key, kDaily,
                                  std::string(kSite) + "&name=Fallon&upload_id=my-upload-1");
  ASSERT_EQ(created.status, 201U) << created.body;
  const auto dataset = created.json();
  EXPECT_EQ(dataset["name"], "Fallon");
  EXPECT_EQ(dataset["timestep"], "daily");
  EXPECT_EQ(dataset["rows"], 3);
  EXPECT_EQ(dataset["period"]["start"], "2015-07-01");
  EXPECT_EQ(dataset["site"]["latitude_deg"], 39.46);
  EXPECT_EQ(dataset["summary"]["tmax_c"]["max"], 34.0);
  EXPECT_EQ(dataset["upload"]["upload_id"], "my-upload-1");
  EXPECT_EQ(created.headers["Location"], "/api/v1/datasets/" + dataset["id"].get<std::string>());
  const auto complete = server.events().wait_for("upload_complete");
  ASSERT_EQ(complete.size(), 1U);
  EXPECT_EQ(complete[0]["data"]["upload_id"], "my-upload-1");
  EXPECT_EQ(complete[0]["data"]["dataset_id"], dataset["id"]);
  EXPECT_EQ(complete[0]["topic"], "uploads");
  const auto dataset_created = server.events().wait_for("dataset_created");
  ASSERT_EQ(dataset_created.size(), 1U);
  EXPECT_EQ(dataset_created[0]["data"]["rows"], 3);
  EXPECT_FALSE(server.events().of_type("upload_progress").empty());

  const auto rows = authed(
      server.port(), http::verb::get,
      "/api/v1/datasets/" + dataset["id"].get<std::string>() + "/rows?offset=1&limit=1", key);
  ASSERT_EQ(rows.status, 200U);
  EXPECT_EQ(rows.json()["rows"][0]["date"], "2015-07-02");
  EXPECT_EQ(rows.json()["rows"][0]["tmax_c"], 34.0);
}

TEST(DatasetUpload, InvalidRowsAre422WithWhereAndWhyAndNothingIsStored) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  std::string text = kDaily;
  text += "2015-07-04,10,20,1,20,2\n2015-07-05,abc,1,1,20,2\n";
  const auto refused =
      upload_csv(server.port(), key, text, std::string(kSite) + "&file_name=fallon.csv");
  ASSERT_EQ(refused.status, 422U) << refused.body;
  const auto error = refused.json()["error"];
  EXPECT_EQ(error["code"], "INVALID_ROWS");
  EXPECT_EQ(error["problem_count"], 2);
  EXPECT_EQ(error["problems"][0]["line"], 5);
  EXPECT_EQ(error["problems"][0]["column"], "tmin_c");
  EXPECT_EQ(error["problems"][0]["message"], "fallon.csv:5:3: tmin_c: Tmin 20 is above Tmax 10");
  EXPECT_EQ(error["problems"][1]["message"], "fallon.csv:6:2: tmax_c: 'abc' is not a number");
  EXPECT_EQ(
      authed(server.port(), http::verb::get, "/api/v1/datasets", key).json()["datasets"].size(),
      0U);
  const auto errors = server.events().wait_for("upload_error");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0]["data"]["error_code"], "INVALID_ROWS");
  EXPECT_TRUE(server.events().of_type("dataset_created").empty());

  const auto skipped =
      upload_csv(server.port(), key, text, std::string(kSite) + "&skip_invalid=true");
  ASSERT_EQ(skipped.status, 201U) << skipped.body;
  EXPECT_EQ(skipped.json()["rows"], 3);
  EXPECT_EQ(skipped.json()["upload"]["rows_rejected"], 2);
  EXPECT_EQ(skipped.json()["upload"]["rejected"][1]["line"], 6);
}

TEST(DatasetUpload, BadFilesAndRequestsGetClearAnswers) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  struct Case {
    std::string body;
    std::string query;
    std::string content_type;
    unsigned status;
    std::string code;
  };
  const Case cases[] = {
      {kDaily, kSite, "application/json", 415U, "UNSUPPORTED_MEDIA_TYPE"},
      {"", kSite, "text/csv", 422U, "INVALID_CSV"},
      {"date,tmax_c,tmin_c\n", kSite, "text/csv", 422U, "NO_ROWS"},
      {"day,tmax_c,tmin_c\n2015-01-01,1,0\n", kSite, "text/csv", 422U, "INVALID_CSV"},
      {"date,tmax_c,tmin_c\n2015-01-02,1,0\n2015-01-01,1,0\n", kSite, "text/csv", 422U,
       "INVALID_ROWS"},
      {"date,tmax_c,tmin_c\n2015-01-01,1,0\n2015-01-01,1,0\n", kSite, "text/csv", 422U,
       "INVALID_ROWS"},
      {"date,tmax_c,tmin_c\n2015-01-01,1,0\n", "elevation_m=100", "text/csv", 422U, "INVALID_CSV"},
      {kDaily, "latitude_deg=95&elevation_m=1", "text/csv", 422U, "VALIDATION_ERROR"},
      {"date,tmax_c\n\"2015-01-01,1\n", kSite, "text/csv", 422U, "INVALID_CSV"},
  };
  for (const auto& c : cases) {
    const auto answer = authed(server.port(), http::verb::post, "/api/v1/datasets?" + c.query, key,
                               c.body, c.content_type);
    EXPECT_EQ(answer.status, c.status) << c.body << "\n" << answer.body;
    EXPECT_EQ(answer.json()["error"]["code"], c.code) << answer.body;
  }
  EXPECT_EQ(
      authed(server.port(), http::verb::get, "/api/v1/datasets", key).json()["datasets"].size(),
      0U);
}

TEST(DatasetUpload, TooLargeIs413BeforeTheBodyIsSent) {
  ServerConfig config;
  config.upload_limit_bytes = 4096;
  StationServer server(config);
  const std::string key = new_workspace_key(server.port());
  // The answer comes without a byte of the (announced) 100 MB body.
  const auto refused = send_raw(server.port(), {.target = std::string("/api/v1/datasets?") + kSite,
                                                .key = key,
                                                .content_length = 100'000'000,
                                                .wait_for_answer_before_body = true});
  EXPECT_EQ(refused.status, 413U) << refused.body;
  EXPECT_EQ(refused.json()["error"]["code"], "PAYLOAD_TOO_LARGE");
  // A chunked body is cut off once past the limit.
  std::vector<std::string> pieces(10, "2015-07-01,1,0\n" + std::string(1000, '\n'));
  pieces.insert(pieces.begin(), "date,tmax_c,tmin_c\n");
  const auto chunked =
      send_raw(server.port(),
               {.target = std::string("/api/v1/datasets?") + kSite, .key = key, .pieces = pieces});
  EXPECT_EQ(chunked.status, 413U) << chunked.body;
  EXPECT_EQ(
      authed(server.port(), http::verb::get, "/api/v1/datasets", key).json()["datasets"].size(),
      0U);
}

TEST(DatasetUpload, TheServersRulesApplyBeforeTheBodyIsRead) {
  ServerConfig config;
  config.rate_limit_per_s = 1;
  config.rate_limit_burst = 3;
  StationServer server(config);
  const std::string key = new_workspace_key(server.port());
  // A page on another site cannot make a browser upload here (CSRF): refused from the header,
  // with the security headers, and the body it was sending drained, not reset.
  const auto foreign = send_raw(server.port(), {.target = std::string("/api/v1/datasets?") + kSite,
                                                .key = key,
                                                .content_length = std::strlen(kDaily),
                                                .pieces = {kDaily},
                                                .origin = "https://elsewhere.example"});
  EXPECT_EQ(foreign.status, 403U) << foreign.body;
  EXPECT_EQ(foreign.json()["error"]["code"], "FORBIDDEN_ORIGIN");
  EXPECT_EQ(foreign.headers["X-Content-Type-Options"], "nosniff");
  // The server's own origin is fine.
  const auto own = send_raw(server.port(), {.target = std::string("/api/v1/datasets?") + kSite,
                                            .key = key,
                                            .content_length = std::strlen(kDaily),
                                            .pieces = {kDaily},
                                            .origin = "http://127.0.0.1"});
  EXPECT_EQ(own.status, 201U) << own.body;
  EXPECT_EQ(own.headers["X-Content-Type-Options"], "nosniff");
  // The per-client rate limit counts uploads like any POST.
  unsigned last = 0;
  for (int i = 0; i < 6 && last != 429U; ++i) last = upload_csv(server.port(), key, kDaily).status;
  EXPECT_EQ(last, 429U);
}

TEST(DatasetCalculation, JsonBodiesAreJsonAndTheAnswerCarriesACancelToken) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  const auto created = upload_csv(server.port(), key, kDaily);
  ASSERT_EQ(created.status, 201U) << created.body;
  const std::string target =
      "/api/v1/datasets/" + created.json()["id"].get<std::string>() + "/calculations";
  // A body a browser may send cross-site without asking (text/plain) is refused.
  EXPECT_EQ(
      authed(server.port(), http::verb::post, target, key, R"({"method":"fao56"})", "text/plain")
          .status,
      415U);
  EXPECT_EQ(authed(server.port(), http::verb::post, "/api/v1/sites", key,
                   R"({"latitude":1,"longitude":2})", "text/plain")
                .status,
            415U);
  EXPECT_EQ(authed(server.port(), http::verb::post, target, key, "[1]").status, 422U);
  const auto accepted = authed(server.port(), http::verb::post, target, key, "");
  ASSERT_EQ(accepted.status, 202U) << accepted.body;
  const std::string id = accepted.json()["task_id"];
  const std::string token = accepted.json()["cancel_token"];
  EXPECT_FALSE(token.empty());
  EXPECT_EQ(wait_for_task(server.port(), id)["status"], "success");
}

TEST(DatasetUpload, ATruncatedBodyLeavesNothingBehind) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  const std::string text = example("fallon_daily_2015.csv");
  send_raw(server.port(), {.target = "/api/v1/datasets",
                           .key = key,
                           .content_length = text.size(),
                           .pieces = {text.substr(0, text.size() / 2)},
                           .close_early = true});
  const auto errors = server.events().wait_for("upload_error");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0]["data"]["error_code"], "DISCONNECTED");
  EXPECT_EQ(
      authed(server.port(), http::verb::get, "/api/v1/datasets", key).json()["datasets"].size(),
      0U);
}

TEST(DatasetUpload, ASlowChunkedBodyIsReadAsItComesWithThrottledProgress) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  const std::string text = example("fallon_daily_2015.csv");
  std::vector<std::string> pieces;
  for (std::size_t at = 0; at < text.size(); at += text.size() / 12 + 1) {
    pieces.push_back(text.substr(at, text.size() / 12 + 1));
  }
  const auto created =
      send_raw(server.port(), {.target = "/api/v1/datasets?upload_id=slow-upload-1",
                               .key = key,
                               .pieces = pieces,
                               .pause = std::chrono::milliseconds(100)});
  ASSERT_EQ(created.status, 201U) << created.body;
  EXPECT_EQ(created.json()["rows"], 365);
  const auto progress = server.events().of_type("upload_progress");
  ASSERT_GE(progress.size(), 2U);
  for (std::size_t i = 1; i < progress.size(); ++i) {
    const auto earlier = *domain::parse_iso_utc_millis(progress[i - 1]["ts"].get<std::string>());
    const auto later = *domain::parse_iso_utc_millis(progress[i]["ts"].get<std::string>());
    EXPECT_GE(later - earlier, std::chrono::milliseconds(249));
    EXPECT_GE(progress[i]["data"]["bytes_received"], progress[i - 1]["data"]["bytes_received"]);
    EXPECT_GE(progress[i]["data"]["rows_parsed"], progress[i - 1]["data"]["rows_parsed"]);
  }
  EXPECT_EQ(server.events().wait_for("upload_complete")[0]["data"]["rows"], 365);
}

TEST(DatasetUpload, TheBrowsersMultipartFormWorks) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  const std::string boundary = "----evapoBoundary7MA4YWxkTrZu0gW";
  std::string body;
  const auto field = [&](const std::string& name, const std::string& value) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  };
  field("name", "Fallon form");
  field("latitude_deg", "39.46");
  field("elevation_m", "1208.5");
  field("upload_id", "browser-upload-1");  // the page follows its upload's events by this id
  body += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fallon.csv\"\r\n"
          "Content-Type: text/csv\r\n\r\n" +
          std::string(kDaily) + "\r\n--" + boundary + "--\r\n";
  const auto created = authed(server.port(), http::verb::post, "/api/v1/datasets", key, body,
                              "multipart/form-data; boundary=" + boundary);
  ASSERT_EQ(created.status, 201U) << created.body;
  EXPECT_EQ(created.json()["name"], "Fallon form");
  EXPECT_EQ(created.json()["upload"]["rows_parsed"], 3);
  EXPECT_EQ(created.json()["upload"]["upload_id"], "browser-upload-1");
  // A field after the file is refused (it could not apply to rows already read).
  std::string late = body.substr(0, body.rfind("--" + boundary + "--"));
  late += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"tz_offset_h\"\r\n\r\n-8\r\n--" + boundary +
          "--\r\n";
  late.replace(late.find("Fallon form"), 11, "Late field!");
  const auto refused = authed(server.port(), http::verb::post, "/api/v1/datasets", key, late,
                              "multipart/form-data; boundary=" + boundary);
  EXPECT_EQ(refused.status, 422U) << refused.body;
}

TEST(DatasetRows, AppendsAreNewDaysAndOverlapsNeedReplace) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  const auto created = upload_csv(server.port(), key, kDaily);
  ASSERT_EQ(created.status, 201U);
  const std::string id = created.json()["id"];
  const std::string target = "/api/v1/datasets/" + id + "/rows";
  const std::string more = "date,tmax_c,tmin_c,tdew_c,rs_mj_m2,wind_m_s\n2015-07-04,30,10,5,25,2\n";
  const auto added = authed(server.port(), http::verb::post, target, key, more, "text/csv");
  ASSERT_EQ(added.status, 200U) << added.body;
  EXPECT_EQ(added.json()["added"], 1);
  EXPECT_EQ(added.json()["dataset"]["rows"], 4);
  EXPECT_EQ(server.events().wait_for("dataset_updated").size(), 1U);
  const auto overlap = authed(server.port(), http::verb::post, target, key, more, "text/csv");
  EXPECT_EQ(overlap.status, 409U) << overlap.body;
  EXPECT_EQ(overlap.json()["error"]["overlapping"][0], "2015-07-04");
  const auto replaced =
      authed(server.port(), http::verb::post, target + "?replace=true", key, more, "text/csv");
  ASSERT_EQ(replaced.status, 200U) << replaced.body;
  EXPECT_EQ(replaced.json()["replaced"], 1);
  EXPECT_EQ(replaced.json()["dataset"]["rows"], 4);
}

// The acceptance test of section 1: a dataset's ETo is `evapo eto`'s on the same file and
// options, to the last digit, daily and hourly, for each method's variant.
TEST(DatasetCalculation, EqualsEvapoEtoToTheLastDigit) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  struct Case {
    std::string file;
    nlohmann::json options;
    std::vector<std::string> flags;
  };
  const Case cases[] = {
      {"fallon_daily_2015.csv", nlohmann::json::object(), {}},
      {"fallon_daily_2015.csv",
       {{"method", "asce-tall"}, {"rso", "full"}, {"constants", "ref-et"}},
       {"--method", "asce-tall", "--rso", "full", "--constants", "ref-et"}},
      {"fallon_daily_2015.csv", {{"method", "hargreaves"}}, {"--method", "hargreaves"}},
      {"fallon_hourly_2015.csv",
       {{"method", "asce-short"}},
       {"--timestep", "hourly", "--method", "asce-short"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file + " " + c.options.dump());
    const auto path = std::filesystem::path(EVAPO_SOURCE_DIR) / "examples" / c.file;
    const auto created = upload_csv(server.port(), key, read_text(path), "");
    ASSERT_EQ(created.status, 201U) << created.body;
    const auto submitted =
        authed(server.port(), http::verb::post,
               "/api/v1/datasets/" + created.json()["id"].get<std::string>() + "/calculations", key,
               c.options.dump());
    ASSERT_EQ(submitted.status, 202U) << submitted.body;
    const auto task = wait_for_task(server.port(), submitted.json()["task_id"]);
    ASSERT_EQ(task.value("status", ""), "success") << task.dump().substr(0, 2000);
    auto flags = c.flags;
    flags.push_back(path.string());
    const auto cli = evapo_eto(flags);
    ASSERT_TRUE(cli.is_object());
    const auto& expected = cli["rows"];
    const auto& results = task["result"]["results"];
    ASSERT_EQ(results.size(), expected.size());
    const std::string key_column = c.file.find("hourly") != std::string::npos ? "datetime" : "date";
    const std::string value = c.options.value("method", "") == "asce-tall" ? "etr_mm" : "eto_mm";
    int with_value = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
      ASSERT_EQ(results[i][key_column], expected[i][key_column]) << i;
      ASSERT_EQ(results[i][value], expected[i][value]) << expected[i][key_column];
      ASSERT_EQ(results[i]["flags"], expected[i]["flags"]) << expected[i][key_column];
      with_value += results[i][value].is_number() ? 1 : 0;
    }
    EXPECT_GT(with_value, 300);
  }
}

TEST(DatasetCalculation, CompareReportsStationAgainstTheSources) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  const auto created = upload_csv(server.port(), key, example("fallon_daily_2015.csv"), "");
  ASSERT_EQ(created.status, 201U);
  const auto submitted =
      authed(server.port(), http::verb::post,
             "/api/v1/datasets/" + created.json()["id"].get<std::string>() + "/calculations", key,
             R"({"compare":true})");
  ASSERT_EQ(submitted.status, 202U) << submitted.body;
  const auto task = wait_for_task(server.port(), submitted.json()["task_id"]);
  ASSERT_EQ(task.value("status", ""), "success");
  const auto& comparison = task["result"]["comparison"];
  EXPECT_EQ(comparison["summary"]["pairs"], 365);
  EXPECT_EQ(comparison["days"].size(), 365U);
  EXPECT_EQ(comparison["days"][0]["gridded_eto_mm"], 4.0);
  EXPECT_TRUE(comparison["summary"]["bias_mm"].is_number());
  EXPECT_TRUE(comparison["summary"]["kge"].is_number());
  const auto bad =
      authed(server.port(), http::verb::post,
             "/api/v1/datasets/" + created.json()["id"].get<std::string>() + "/calculations", key,
             R"({"method":"penman","compare":"yes","colour":1})");
  EXPECT_EQ(bad.status, 422U);
  EXPECT_EQ(bad.json()["error"]["details"].size(), 3U);
}

TEST(Sites, CreateListChangeDeleteWithEventsAndIsolation) {
  StationServer server;
  const std::string key = new_workspace_key(server.port());
  const std::string other = new_workspace_key(server.port());
  const auto created = authed(
      server.port(), http::verb::post, "/api/v1/sites", key,
      R"({"name":"Field 3","latitude":-22.7,"longitude":-47.6,"schedule":{"local_time":"07:00"},"modes":["recent","forecast"]})");
  ASSERT_EQ(created.status, 201U) << created.body;
  const auto site = created.json();
  const std::string id = site["id"];
  EXPECT_TRUE(site["schedule"]["utc_offset_minutes"].is_null());
  EXPECT_EQ(site["schedule"]["time_zone"], "America/Sao_Paulo");
  EXPECT_TRUE(site["next_run_at"].is_string());
  EXPECT_EQ(site["recent"].size(), 0U);
  EXPECT_EQ(server.events().wait_for("site_created")[0]["data"]["site_id"], id);
  EXPECT_EQ(authed(server.port(), http::verb::get, "/api/v1/sites", key).json()["sites"].size(),
            1U);
  EXPECT_EQ(authed(server.port(), http::verb::get, "/api/v1/sites", other).json()["sites"].size(),
            0U);
  EXPECT_EQ(authed(server.port(), http::verb::get, "/api/v1/sites/" + id, other).status, 404U);
  EXPECT_EQ(
      authed(server.port(), http::verb::patch, "/api/v1/sites/" + id, other, R"({"name":"x"})")
          .status,
      404U);
  const auto patched = authed(server.port(), http::verb::patch, "/api/v1/sites/" + id, key,
                              R"({"name":"Field 4","recent_days":14})");
  ASSERT_EQ(patched.status, 200U) << patched.body;
  EXPECT_EQ(patched.json()["name"], "Field 4");
  EXPECT_EQ(patched.json()["recent_days"], 14);
  EXPECT_EQ(server.events().wait_for("site_updated").size(), 1U);
  EXPECT_EQ(authed(server.port(), http::verb::patch, "/api/v1/sites/" + id, key,
                   R"({"latitude":"north"})")
                .status,
            422U);
  const auto csv =
      authed(server.port(), http::verb::get, "/api/v1/sites/" + id + "/history?format=csv", key);
  ASSERT_EQ(csv.status, 200U);
  EXPECT_EQ(csv.body, "date,eto_mm,kind,quality,sources,task_id,updated_at\n");
  EXPECT_EQ(authed(server.port(), http::verb::delete_, "/api/v1/sites/" + id, other).status, 404U);
  EXPECT_EQ(authed(server.port(), http::verb::delete_, "/api/v1/sites/" + id, key).status, 204U);
  EXPECT_EQ(server.events().wait_for("site_deleted").size(), 1U);
  EXPECT_EQ(authed(server.port(), http::verb::get, "/api/v1/sites/" + id, key).status, 404U);
}

// Atomicity against a crash: `evapo serve` killed with SIGKILL while a file is arriving has
// stored nothing of it when it comes back.
TEST(DatasetUpload, KillNineMidUploadLeavesNoDataset) {
  const auto dir = temp_dir("upload_kill");
  std::string key;
  {
    HostProcess host(dir, 0);
    ASSERT_NE(host.port(), 0);
    key = new_workspace_key(host.port());
    const std::string text = example("fallon_hourly_2015.csv");
    std::thread sender([&] {
      send_raw(host.port(), {.target = "/api/v1/datasets",
                             .key = key,
                             .content_length = text.size(),
                             .pieces = {text.substr(0, text.size() / 3),
                                        text.substr(text.size() / 3, text.size() / 3)},
                             .pause = std::chrono::milliseconds(300)});
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the first third is in
    host.kill_now(SIGKILL);
    sender.join();
  }
  HostProcess restarted(dir, 0);
  ASSERT_NE(restarted.port(), 0);
  const auto listed = authed(restarted.port(), http::verb::get, "/api/v1/datasets", key);
  ASSERT_EQ(listed.status, 200U) << listed.body;
  EXPECT_EQ(listed.json()["datasets"].size(), 0U);
  // And the store works: the same file, whole, is accepted.
  EXPECT_EQ(upload_csv(restarted.port(), key, example("fallon_daily_2015.csv"), "").status, 201U);
  restarted.kill_now(SIGTERM);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace evapo::server::testing
