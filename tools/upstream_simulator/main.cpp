// evapo-upstream-sim: a wire-faithful local stand-in for NASA POWER, Open-Meteo, MET Norway,
// NWS, the Open-Meteo elevation and geocoding APIs, with fault injection. Prints the bound port
// first.

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <evapo/sources/etopo_grid.hpp>

#include "fixture_replay.hpp"
#include "listener.hpp"
#include "router.hpp"

namespace {

constexpr const char* kUsage =
    "usage: evapo-upstream-sim [--port N] [--host ADDR] [--threads N] [--latency-ms N]\n"
    "                          [--fixtures DIR] [--etopo FILE] [--today YYYY-MM-DD]\n"
    "Serves the weather APIs' paths on http://ADDR:PORT (port 0: any free port; the bound port\n"
    "is printed on stdout as the first line). Faults: POST /__sim/faults\n"
    "{\"source\":\"nasa_power\",\"fault\":\"status_429\",\"count\":2,\"retry_after_s\":1}; DELETE\n"
    "/__sim/faults clears; GET /__sim/stats gives request counts and the last request target per "
    "upstream.\n";

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  std::string host = "127.0.0.1";
  int threads = static_cast<int>(std::max(2U, std::thread::hardware_concurrency()));
  int latency_ms = 0;
  std::string fixtures;
  std::string etopo;
  std::optional<evapo::domain::Date> today;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (!has_value) {
      std::cerr << "missing value for " << a << "\n" << kUsage;
      return 2;
    }
    const std::string& v = args[++i];
    if (a == "--port") {
      port = static_cast<unsigned short>(std::atoi(v.c_str()));
    } else if (a == "--host") {
      host = v;
    } else if (a == "--threads") {
      threads = std::max(1, std::atoi(v.c_str()));
    } else if (a == "--latency-ms") {
      latency_ms = std::max(0, std::atoi(v.c_str()));
    } else if (a == "--fixtures") {
      fixtures = v;
    } else if (a == "--etopo") {
      etopo = v;
    } else if (a == "--today") {
      today = evapo::domain::parse_iso_date(v);
      if (!today) {
        std::cerr << "--today must be YYYY-MM-DD\n";
        return 2;
      }
    } else {
      std::cerr << "unknown option " << a << "\n" << kUsage;
      return 2;
    }
  }
  auto grid = evapo::sources::shared_etopo_grid(etopo);
  if (!grid)
    std::cerr << "evapo-upstream-sim: " << grid.error().message << "; elevations are 0 m\n";
  evapo::sim::FixtureReplay replay;
  if (!fixtures.empty()) {
    const std::size_t count = replay.load(fixtures);
    std::cerr << "evapo-upstream-sim: " << count << " recorded response(s) from " << fixtures
              << "\n";
  }
  evapo::sim::Router router({.latency = std::chrono::milliseconds{latency_ms},
                             .grid = grid ? grid->get() : nullptr,
                             .today = today,
                             .replay = fixtures.empty() ? nullptr : &replay});
  boost::asio::io_context io{threads};
  std::shared_ptr<evapo::sim::Listener> listener;
  try {
    listener = std::make_shared<evapo::sim::Listener>(
        io, boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address(host), port}, router);
  } catch (const std::exception& e) {
    std::cerr << "evapo-upstream-sim: cannot listen on " << host << ":" << port << ": " << e.what()
              << "\n";
    return 2;
  }
  std::cout << listener->port() << std::endl;
  listener->run();
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}
