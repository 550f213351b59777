#pragma once

// Test helper (header-only): a real PostgreSQL (Debian's binaries in /usr/lib/postgresql/N/bin)
// on a free loopback port in its own temporary directory, run as an unprivileged user when the
// tests run as root (PostgreSQL refuses root). initdb runs once per machine into a template
// cluster (password authentication for TCP, user evapo / secret, database evapo) that each
// server copies, so a test pays for a start (about a second), not an initdb. The failure tests
// stop (fast shutdown), kill -9 and restart it on the same port and data.

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/file.h>

#include <libpq-fe.h>

#include "child_process.hpp"

namespace evapo::testing {

class PostgresServer {
 public:
  static constexpr const char* kUser = "evapo";
  static constexpr const char* kPassword = "secret";
  static constexpr const char* kDatabase = "evapo";

  PostgresServer() : dir_(fresh_temp_dir("evapo_pg")), port_(free_port()) {
    account_ = unprivileged_account();
    const auto template_dir = ensure_template();
    run_and_check({"/bin/cp", "-a", (template_dir / "data").string(), (dir_ / "data").string()},
                  "copying the template cluster");
    give_to(dir_, account_);
    start();
  }
  ~PostgresServer() {
    process_.kill_and_wait(SIGQUIT);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  /// postgresql://evapo:secret@127.0.0.1:PORT/evapo (or another database, password).
  std::string url(const std::string& database = kDatabase,
                  const std::string& password = kPassword) const {
    return "postgresql://" + std::string(kUser) + ":" + password +
           "@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }
  std::uint16_t port() const { return port_; }

  /// Starts the server (again) and waits until it accepts connections.
  void start() {
    process_ = ChildProcess(
        {bin_dir() + "/postgres", "-D", (dir_ / "data").string(), "-p", std::to_string(port_), "-k",
         dir_.string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c",
         "max_connections=200", "-c", "shared_buffers=32MB"},
        dir_ / "postgres.log", {}, account_);
    if (!wait_until([&] { return answers(); }, std::chrono::seconds(60))) {
      throw std::runtime_error("postgres did not start: " + read_text(dir_ / "postgres.log"));
    }
  }

  /// Fast shutdown (pg_ctl stop -m fast): clients are disconnected, the server exits.
  void stop() { process_.kill_and_wait(SIGINT); }

  /// SIGKILL of the postmaster, as a crash.
  void kill9() { process_.kill_and_wait(SIGKILL); }

  bool answers() const {
    PGconn* conn = PQconnectdb((url() + "?connect_timeout=2").c_str());
    const bool ok = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    return ok;
  }

  /// Runs SQL (test inspection); the first column of the first row, "" when none.
  std::string query(const std::string& sql) const {
    PGconn* conn = PQconnectdb(url().c_str());
    std::string out;
    if (PQstatus(conn) == CONNECTION_OK) {
      PGresult* result = PQexec(conn, sql.c_str());
      if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0) {
        out = PQgetvalue(result, 0, 0);
      }
      PQclear(result);
    }
    PQfinish(conn);
    return out;
  }

  /// The newest /usr/lib/postgresql/N/bin.
  static std::string bin_dir() {
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      if (std::filesystem::exists(entry.path() / "bin" / "postgres")) found.push_back(entry.path());
    }
    if (found.empty()) {
      throw std::runtime_error("PostgreSQL not found: run scripts/setup.sh (Debian postgresql)");
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return std::stoi(a.filename().string()) < std::stoi(b.filename().string());
    });
    return (found.back() / "bin").string();
  }

 private:
  void run_and_check(std::vector<std::string> argv, const std::string& what,
                     std::optional<Account> account = std::nullopt) {
    ChildProcess process(std::move(argv), dir_ / "setup.log", {}, account);
    if (!process.wait_for_exit(std::chrono::minutes(3)) || process.exit_code() != 0) {
      throw std::runtime_error(what + " failed: " + read_text(dir_ / "setup.log"));
    }
  }

  // The cluster every server copies, made once per machine (under a lock: tests run in
  // parallel).
  std::filesystem::path ensure_template() {
    const std::string bin = bin_dir();
    const auto root = std::filesystem::temp_directory_path() /
                      ("evapo_pg_template_" + std::to_string(::geteuid()) + "_" +
                       std::filesystem::path(bin).parent_path().filename().string());
    std::filesystem::create_directories(root);
    const int lock = ::open((root / "lock").c_str(), O_CREAT | O_RDWR, 0644);
    ::flock(lock, LOCK_EX);
    if (!std::filesystem::exists(root / "ready")) {
      std::filesystem::remove_all(root / "data");
      std::filesystem::remove_all(root / "work");
      std::filesystem::create_directories(root / "work");
      const auto password_file = root / "work" / "password";
      { std::ofstream(password_file) << kPassword << "\n"; }
      give_to(root / "work", account_);
      const auto data = root / "work" / "data";
      run_and_check({bin + "/initdb", "-D", data.string(), "-U", kUser, "--pwfile",
                     password_file.string(), "--auth-local=trust", "--auth-host=scram-sha-256",
                     "--no-sync", "-E", "UTF8", "--locale=C"},
                    "initdb", account_);
      // The application's database, made with the server up once.
      const std::uint16_t port = free_port();
      {
        ChildProcess server({bin + "/postgres", "-D", data.string(), "-p", std::to_string(port),
                             "-k", (root / "work").string(), "-c", "listen_addresses=127.0.0.1"},
                            root / "work" / "template.log", {}, account_);
        const std::string admin = "postgresql://" + std::string(kUser) + ":" + kPassword +
                                  "@127.0.0.1:" + std::to_string(port) + "/postgres";
        bool created = false;
        wait_until(
            [&] {
              PGconn* conn = PQconnectdb((admin + "?connect_timeout=2").c_str());
              if (PQstatus(conn) == CONNECTION_OK) {
                PGresult* result =
                    PQexec(conn, ("CREATE DATABASE " + std::string(kDatabase)).c_str());
                created = PQresultStatus(result) == PGRES_COMMAND_OK;
                PQclear(result);
              }
              PQfinish(conn);
              return created;
            },
            std::chrono::seconds(60));
        server.kill_and_wait(SIGINT);
        if (!created) {
          throw std::runtime_error("template database not created: " +
                                   read_text(root / "work" / "template.log"));
        }
      }
      std::filesystem::rename(data, root / "data");
      std::ofstream(root / "ready") << "ok\n";
    }
    ::flock(lock, LOCK_UN);
    ::close(lock);
    return root;
  }

  std::filesystem::path dir_;
  std::uint16_t port_;
  std::optional<Account> account_;
  ChildProcess process_;
};

}  // namespace evapo::testing
