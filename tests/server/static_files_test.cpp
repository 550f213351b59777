// The web UI's files: types, caching, SPA fallback, and no way out of the root.

#include <fstream>

#include <gtest/gtest.h>

#include "server_fixture.hpp"

namespace evapo::server::testing {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir("static");
    std::filesystem::create_directories(dir_ / "dist/assets");
    std::ofstream(dir_ / "dist/index.html") << "<!doctype html><title>evapo</title>";
    std::ofstream(dir_ / "dist/assets/index-3f2a1b9c.js") << "console.log(1)";
    std::ofstream(dir_ / "dist/assets/index-77aa00ff.css") << "body{}";
    std::ofstream(dir_ / "secret.txt") << "outside the root";
    std::filesystem::create_symlink(dir_ / "secret.txt", dir_ / "dist/link.txt");
    ServerConfig config;
    config.web_root = (dir_ / "dist").string();
    server_ = std::make_unique<RunningServer>(config);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  HttpResult get(const std::string& target) { return http_get(server_->port(), target); }

  std::filesystem::path dir_;
  std::unique_ptr<RunningServer> server_;
};

TEST_F(StaticFilesTest, TypesAndCaching) {
  const auto index = get("/");
  EXPECT_EQ(index.status, 200U);
  EXPECT_EQ(index.headers[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(index.headers[http::field::cache_control], "no-cache");
  const auto script = get("/assets/index-3f2a1b9c.js");
  EXPECT_EQ(script.status, 200U);
  EXPECT_EQ(script.body, "console.log(1)");
  EXPECT_EQ(script.headers[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(script.headers[http::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/assets/index-77aa00ff.css").headers[http::field::content_type],
            "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, SinglePageRoutesFallBackToIndexButMissingFilesAre404) {
  const auto route = get("/eto");
  EXPECT_EQ(route.status, 200U);
  EXPECT_NE(route.body.find("<title>evapo</title>"), std::string::npos);
  EXPECT_EQ(get("/tasks/abc").status, 200U);
  EXPECT_EQ(get("/assets/missing-00000000.js").status, 404U);
  EXPECT_EQ(get("/api/v1/unknown").status, 404U);  // API paths never get the page
}

TEST_F(StaticFilesTest, NoPathTraversal) {
  for (const char* target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                             "/assets/%2E%2E/%2E%2E/secret.txt", "/link.txt", "/..%5csecret.txt"}) {
    SCOPED_TRACE(target);
    const auto result = get(target);
    EXPECT_EQ(result.body.find("outside the root"), std::string::npos);
    EXPECT_NE(result.status, 200U);
  }
}

}  // namespace
}  // namespace evapo::server::testing
