// evapo_serve_load: drives a running `evapo serve` over loopback and prints figures.
//   evapo_serve_load post   PORT [TASKS=1000] [IN_FLIGHT=50] [DAYS=365] [FIRST_POINT=0]
//       IN_FLIGHT clients, each on its own keep-alive connection, POST a calculation and watch it
//       over WebSocket (all sockets on one event loop) to its end before the next, TASKS in all;
//       reports POST latency percentiles, throughput and tasks missing a step or terminal event.
//       Task i calculates point FIRST_POINT + i: runs that must not hit each other's download
//       cache give different FIRST_POINTs.
//   evapo_serve_load fanout PORT[,PORT...] [TASKS=50] [SUBSCRIBERS=2000]
//       POSTs TASKS (to the first port) and immediately opens SUBSCRIBERS extra WebSockets spread
//       over them and over the ports (the nodes of a cluster); reports publish-to-receive
//       delivery latency of live events (event ts vs. receive time).
//   evapo_serve_load idle   PORT SERVER_PID TASK_ID [CONNECTIONS=20000]
//       holds CONNECTIONS WebSockets on a running task and reports the server's RSS growth per
//       connection (/proc/SERVER_PID/status VmRSS).
//   evapo_serve_load ops    PORT [SUBSCRIBERS=2000] [MAX_SECONDS=900]
//       holds SUBSCRIBERS WebSockets on the operations channel (/ws/events, every topic), prints
//       "subscribed N" once they are open, and until SIGTERM/SIGINT (or MAX_SECONDS) measures the
//       publish-to-receive latency of every event and checks that each subscriber saw seq
//       without a gap; then prints the figures.
// Every loop is bounded by its arguments.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr int kTotalSteps = 7;

void raise_file_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  rlimit wanted{1 << 17, 1 << 17};
  if (setrlimit(RLIMIT_NOFILE, &wanted) != 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  getrlimit(RLIMIT_NOFILE, &limit);
  std::printf("driver RLIMIT_NOFILE: %llu\n", static_cast<unsigned long long>(limit.rlim_cur));
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const auto index =
      static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

void print_percentiles(const char* what, const std::vector<double>& ms) {
  std::printf("%s (ms, n=%zu): p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", what, ms.size(),
              percentile(ms, 50), percentile(ms, 90), percentile(ms, 99), percentile(ms, 100));
}

std::string body_for(int i, int days) {
  // Distinct points so the download cache does not answer every task after the first.
  const double latitude = 30.0 + 0.01 * (i % 1500);
  const double longitude = -100.0 + 0.01 * (i / 1500);
  char start[16] = "2015-01-01";
  std::tm end_tm{};
  end_tm.tm_year = 115;
  end_tm.tm_mon = 0;
  end_tm.tm_mday = days;
  timegm(&end_tm);
  char end[16];
  std::strftime(end, sizeof end, "%Y-%m-%d", &end_tm);
  return nlohmann::json{
      {"latitude", latitude}, {"longitude", longitude}, {"start_date", start}, {"end_date", end}}
      .dump();
}

// The envelope of an event message: {"data":...,"seq":N,"task_id":"..","ts":"..","type":".."}
// (keys sorted, data first). Only the part after data is parsed: a SUCCESS carries a year of
// results, and parsing it all would make the driver, not the server, what is measured.
struct Envelope {
  std::int64_t seq = 0;
  std::string type;
  std::string ts;
  bool valid = false;
};

Envelope parse_envelope(std::string_view text) {
  Envelope envelope;
  const auto at = text.rfind(",\"seq\":");
  if (at == std::string_view::npos) return envelope;
  const auto tail = nlohmann::json::parse("{" + std::string(text.substr(at + 1)), nullptr, false);
  if (tail.is_discarded()) return envelope;
  envelope.seq = tail.value("seq", std::int64_t{0});
  envelope.type = tail.value("type", std::string());
  envelope.ts = tail.value("ts", std::string());
  envelope.valid = true;
  return envelope;
}

// "2026-11-26T10:12:46.123Z" -> milliseconds since the epoch.
long long iso_to_ms(const std::string& ts) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(ts.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(timegm(&tm)) * 1000 + ms;
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double now_ms_fine() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string post_calculation(beast::tcp_stream& stream, const std::string& body,
                             double& latency_ms) {
  http::request<http::string_body> request{http::verb::post, "/api/v1/eto/calculations", 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();
  const auto start = Clock::now();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (response.result_int() != 202) return {};
  return nlohmann::json::parse(response.body()).value("task_id", std::string());
}

// One task's whole stream, read asynchronously on the driver's one event loop (as a browser
// tab would): done(complete, terminal type), complete when seq ran 1..N in order with every
// step and exactly one terminal event.
struct TaskWatch : std::enable_shared_from_this<TaskWatch> {
  using Done = std::function<void(bool complete, const std::string& terminal_type)>;

  TaskWatch(net::io_context& ioc, std::string task_id, Done on_done)
      : ws(net::make_strand(ioc)), id(std::move(task_id)), done(std::move(on_done)) {
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::seconds(30);
    timeout.idle_timeout = std::chrono::seconds(120);  // bounds the wait on a stuck task
    timeout.keep_alive_pings = false;
    ws.set_option(timeout);
  }

  void start(const tcp::endpoint& endpoint) {
    beast::get_lowest_layer(ws).async_connect(
        endpoint, [self = shared_from_this()](beast::error_code ec) {
          if (ec) return self->finish();
          self->ws.async_handshake("127.0.0.1", "/ws/task_status/" + self->id,
                                   [self](beast::error_code hec) {
                                     if (hec) return self->finish();
                                     self->read();
                                   });
        });
  }

  void read() {
    ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();  // the server closes after the terminal event
      const auto data = self->buffer.data();
      const std::string_view text(static_cast<const char*>(data.data()), data.size());
      const Envelope envelope = parse_envelope(text);
      self->in_order = self->in_order && envelope.valid && envelope.seq == self->expected_seq++;
      if (envelope.type == "PROGRESS") {
        self->steps.insert(nlohmann::json::parse(text).at("data").at("step").get<std::string>());
      } else {
        ++self->terminals;
        self->terminal_type = envelope.type;
      }
      self->buffer.clear();
      self->read();
    });
  }

  void finish() {
    done(in_order && terminals == 1 &&
             (terminal_type != "SUCCESS" || static_cast<int>(steps.size()) == kTotalSteps),
         terminal_type);
  }

  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::string id;
  Done done;
  std::set<std::string> steps;
  std::int64_t expected_seq = 1;
  int terminals = 0;
  bool in_order = true;
  std::string terminal_type;
};

int run_post(unsigned short port, int tasks, int in_flight, int days, int first_point) {
  std::atomic<int> next{0};
  std::mutex mutex;
  std::vector<double> post_ms;
  std::atomic<int> incomplete{0}, failed_posts{0}, succeeded{0};
  const auto start = Clock::now();
  // The watching side: one event loop for every task's WebSocket.
  net::io_context watch_ioc;
  auto watch_work = net::make_work_guard(watch_ioc);
  std::thread watcher([&] { watch_ioc.run(); });
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  std::vector<std::thread> threads;
  for (int t = 0; t < in_flight; ++t) {
    threads.emplace_back([&, t] {
      // Ramp-up: the clients start 2 ms apart rather than all POSTing in the same instant.
      std::this_thread::sleep_for(std::chrono::milliseconds(2 * t));
      net::io_context ioc;
      beast::tcp_stream stream(ioc);
      const tcp::endpoint server(net::ip::make_address("127.0.0.1"), port);
      stream.connect(server);
      auto last_used = Clock::now();
      for (int i = next++; i < tasks; i = next++) {
        // The server closes a keep-alive connection idle for 30 s; on a loaded machine a task
        // can take longer than that, so a connection idle for 20 s is replaced before reuse.
        if (Clock::now() - last_used > std::chrono::seconds(20)) {
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
          stream.close();
          stream.connect(server);
        }
        double latency = 0;
        const std::string id = post_calculation(stream, body_for(first_point + i, days), latency);
        last_used = Clock::now();
        {
          std::lock_guard lock(mutex);
          post_ms.push_back(latency);
        }
        if (id.empty()) {
          ++failed_posts;
          continue;
        }
        // This client waits for its task to end before its next POST: IN_FLIGHT tasks at a time.
        std::promise<std::pair<bool, std::string>> ended;
        auto outcome = ended.get_future();
        net::post(watch_ioc, [&, id] {
          std::make_shared<TaskWatch>(watch_ioc, id,
                                      [&ended](bool complete, const std::string& terminal) {
                                        ended.set_value({complete, terminal});
                                      })
              ->start(endpoint);
        });
        const auto [complete, terminal] = outcome.get();
        if (!complete) ++incomplete;
        if (terminal == "SUCCESS") ++succeeded;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  watch_work.reset();
  watcher.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  print_percentiles("POST /api/v1/eto/calculations latency", post_ms);
  std::printf("tasks %d, in flight %d, days %d: %.1f s, throughput %.1f tasks/s (%.0f days/s)\n",
              tasks, in_flight, days, seconds, tasks / seconds, tasks * days / seconds);
  std::printf("SUCCESS %d, rejected POSTs %d, tasks missing a step/terminal or out of order: %d\n",
              succeeded.load(), failed_posts.load(), incomplete.load());
  return incomplete == 0 && failed_posts == 0 ? 0 : 1;
}

// Publish-to-receive delivery latencies of live events, by kind.
struct Latencies {
  std::mutex mutex;
  std::vector<double> progress_ms;
  std::vector<double> terminal_ms;  // a SUCCESS carries the whole result (about 120 KB a year)
};

// One asynchronous WebSocket subscriber (fanout and idle scenarios).
struct Subscriber : std::enable_shared_from_this<Subscriber> {
  Subscriber(net::io_context& ioc, std::string target_path, Latencies& sink, std::atomic<int>& open,
             std::atomic<int>& failed)
      : ws(net::make_strand(ioc)),
        target(std::move(target_path)),
        latencies(sink),
        open_count(open),
        failed_count(failed) {}

  void start(const tcp::endpoint& endpoint) {
    beast::get_lowest_layer(ws).async_connect(
        endpoint, [self = shared_from_this()](beast::error_code ec) {
          if (ec) return self->fail();
          self->ws.async_handshake("127.0.0.1", self->target, [self](beast::error_code hec) {
            if (hec) return self->fail();
            self->connected_ms = now_ms();
            ++self->open_count;
            self->read();
          });
        });
  }
  void read() {
    ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        --self->open_count;
        return;
      }
      const double received_ms = now_ms_fine();
      const auto data = self->buffer.data();
      const Envelope envelope =
          parse_envelope(std::string_view(static_cast<const char*>(data.data()), data.size()));
      self->buffer.clear();
      if (envelope.valid) {
        const long long ts_ms = iso_to_ms(envelope.ts);
        // Only live events: replayed history was published before we connected.
        if (ts_ms > self->connected_ms) {
          std::lock_guard lock(self->latencies.mutex);
          (envelope.type == "PROGRESS" ? self->latencies.progress_ms : self->latencies.terminal_ms)
              .push_back(received_ms - static_cast<double>(ts_ms));
        }
      }
      self->read();
    });
  }
  void fail() { ++failed_count; }

  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::string target;
  long long connected_ms = 0;
  Latencies& latencies;
  std::atomic<int>& open_count;
  std::atomic<int>& failed_count;
};

int run_fanout(const std::vector<unsigned short>& ports, int tasks, int subscribers) {
  net::io_context ioc;
  Latencies latencies;
  std::atomic<int> open{0}, failed{0};
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), ports.front());
  std::vector<std::string> ids;
  {
    net::io_context post_ioc;
    beast::tcp_stream stream(post_ioc);
    stream.connect(endpoint);
    for (int i = 0; i < tasks; ++i) {
      double latency = 0;
      ids.push_back(post_calculation(stream, body_for(5000 + i, 365), latency));
    }
  }
  std::vector<std::shared_ptr<Subscriber>> all;
  for (int i = 0; i < subscribers; ++i) {
    auto subscriber = std::make_shared<Subscriber>(ioc, "/ws/task_status/" + ids[i % tasks],
                                                   latencies, open, failed);
    subscriber->start(tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                    ports[static_cast<std::size_t>(i) % ports.size()]));
    all.push_back(subscriber);
  }
  std::thread runner([&] { ioc.run(); });  // ends when every subscriber's stream closed
  runner.join();
  std::vector<double> all_ms = latencies.progress_ms;
  all_ms.insert(all_ms.end(), latencies.terminal_ms.begin(), latencies.terminal_ms.end());
  print_percentiles("delivery latency publish->receive, every live event", all_ms);
  print_percentiles("  PROGRESS", latencies.progress_ms);
  print_percentiles("  terminal (SUCCESS with a year of results)", latencies.terminal_ms);
  std::printf("subscribers %d over %d tasks and %zu node(s), failed to connect %d\n", subscribers,
              tasks, ports.size(), failed.load());
  return 0;
}

long rss_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

int run_idle(unsigned short port, int server_pid, const std::string& task_id, int connections) {
  net::io_context ioc;
  Latencies latencies;
  std::atomic<int> open{0}, failed{0};
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  const long before_kib = rss_kib(server_pid);
  std::vector<std::shared_ptr<Subscriber>> all;
  auto work = net::make_work_guard(ioc);
  std::thread runner([&] { ioc.run(); });
  for (int i = 0; i < connections; ++i) {
    auto subscriber =
        std::make_shared<Subscriber>(ioc, "/ws/task_status/" + task_id, latencies, open, failed);
    subscriber->start(endpoint);
    all.push_back(subscriber);
    // Pace the handshakes so the listen backlog never overflows.
    if (i % 500 == 499) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int i = 0; i < 600 && open + failed < connections; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long after_kib = rss_kib(server_pid);
  const int held = open.load();
  std::printf(
      "idle WebSockets held %d (failed %d); server RSS %ld KiB -> %ld KiB: %.2f KiB per "
      "connection\n",
      held, failed.load(), before_kib, after_kib,
      held > 0 ? static_cast<double>(after_kib - before_kib) / held : 0.0);
  work.reset();
  ioc.stop();
  runner.join();
  return held == connections ? 0 : 1;
}

// "2026-11-26T10:12:46.123Z" at a fixed layout -> milliseconds since the epoch, without sscanf
// (the ops scenario parses millions of them).
long long iso_to_ms_fast(std::string_view ts) {
  if (ts.size() < 24) return 0;
  auto digits = [&](std::size_t at, std::size_t n) {
    long long value = 0;
    for (std::size_t i = 0; i < n; ++i) value = value * 10 + (ts[at + i] - '0');
    return value;
  };
  const long long y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  // Days from civil (H. Hinnant).
  const long long yy = y - (m <= 2 ? 1 : 0);
  const long long era = (yy >= 0 ? yy : yy - 399) / 400;
  const long long yoe = yy - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long long days = era * 146097 + doe - 719468;
  return ((days * 24 + digits(11, 2)) * 60 + digits(14, 2)) * 60000 + digits(17, 2) * 1000 +
         digits(20, 3);
}

// Delivery latencies in 0.1 ms buckets up to 60 s; shared by every subscriber's strand.
struct LatencyHistogram {
  static constexpr std::size_t kBuckets = 600'000;
  std::vector<std::atomic<std::uint64_t>> buckets =
      std::vector<std::atomic<std::uint64_t>>(kBuckets);
  std::atomic<std::uint64_t> count{0};

  void add(double ms) {
    const auto index = static_cast<std::size_t>(std::clamp(ms, 0.0, 59'999.9) * 10.0);
    buckets[index].fetch_add(1, std::memory_order_relaxed);
    count.fetch_add(1, std::memory_order_relaxed);
  }
  double percentile(double p) const {
    const auto total = count.load();
    if (total == 0) return 0.0;
    const auto rank = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(total - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += buckets[i].load(std::memory_order_relaxed);
      if (seen >= rank) return static_cast<double>(i) / 10.0 + 0.05;
    }
    return 60'000.0;
  }
};

// One subscriber of the operations channel: every message is one or more events, one per line.
struct OpsSubscriber : std::enable_shared_from_this<OpsSubscriber> {
  OpsSubscriber(net::io_context& ioc, LatencyHistogram& histogram, std::atomic<int>& open,
                std::atomic<int>& failed, std::atomic<std::uint64_t>& gaps,
                std::atomic<std::uint64_t>& events, std::atomic<std::uint64_t>& messages)
      : ws(net::make_strand(ioc)),
        latencies(histogram),
        open_count(open),
        failed_count(failed),
        gap_count(gaps),
        event_count(events),
        message_count(messages) {}

  void start(const tcp::endpoint& endpoint) {
    beast::get_lowest_layer(ws).async_connect(
        endpoint, [self = shared_from_this()](beast::error_code ec) {
          if (ec) {
            ++self->failed_count;
            return;
          }
          self->ws.async_handshake("127.0.0.1", "/ws/events", [self](beast::error_code hec) {
            if (hec) {
              ++self->failed_count;
              return;
            }
            ++self->open_count;
            self->read();
          });
        });
  }
  void read() {
    ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        --self->open_count;
        self->closed = true;
        return;
      }
      const double received_ms = now_ms_fine();
      const auto data = self->buffer.data();
      std::string_view text(static_cast<const char*>(data.data()), data.size());
      ++self->message_count;
      while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        self->on_event(text.substr(0, end), received_ms);
        text.remove_prefix(std::min(end + 1, text.size()));
      }
      self->buffer.consume(self->buffer.size());
      self->read();
    });
  }
  void on_event(std::string_view line, double received_ms) {
    // Envelope keys are sorted: ..."seq":N,"topic":"..","ts":"..","type":".."}
    const auto seq_at = line.rfind(",\"seq\":");
    const auto ts_at = line.rfind(",\"ts\":\"");
    if (seq_at == std::string_view::npos || ts_at == std::string_view::npos) return;
    std::int64_t seq = 0;
    for (std::size_t i = seq_at + 7; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
      seq = seq * 10 + (line[i] - '0');
    }
    if (last_seq != 0 && seq != last_seq + 1) ++gap_count;
    last_seq = seq;
    ++event_count;
    latencies.add(received_ms - static_cast<double>(iso_to_ms_fast(line.substr(ts_at + 7))));
  }

  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::int64_t last_seq = 0;
  bool closed = false;
  LatencyHistogram& latencies;
  std::atomic<int>& open_count;
  std::atomic<int>& failed_count;
  std::atomic<std::uint64_t>& gap_count;
  std::atomic<std::uint64_t>& event_count;
  std::atomic<std::uint64_t>& message_count;
};

int run_ops(unsigned short port, int subscribers, int max_seconds) {
  net::io_context ioc;
  LatencyHistogram histogram;
  std::atomic<int> open{0}, failed{0};
  std::atomic<std::uint64_t> gaps{0}, events{0}, messages{0};
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  auto work = net::make_work_guard(ioc);
  std::vector<std::thread> runners;
  for (int i = 0; i < 2; ++i) runners.emplace_back([&] { ioc.run(); });
  std::vector<std::shared_ptr<OpsSubscriber>> all;
  for (int i = 0; i < subscribers; ++i) {
    auto subscriber =
        std::make_shared<OpsSubscriber>(ioc, histogram, open, failed, gaps, events, messages);
    subscriber->start(endpoint);
    all.push_back(subscriber);
    if (i % 500 == 499) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int i = 0; i < 600 && open + failed < subscribers; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::printf("subscribed %d (failed %d)\n", open.load(), failed.load());
  std::fflush(stdout);
  // Measure until told to stop (the script ends scenario b first) or the time limit.
  net::io_context signals_ioc;
  net::signal_set signals(signals_ioc, SIGINT, SIGTERM);
  net::steady_timer limit(signals_ioc, std::chrono::seconds(max_seconds));
  signals.async_wait([&](beast::error_code, int) { limit.cancel(); });
  limit.async_wait([&](beast::error_code) { signals.cancel(); });
  const auto started = Clock::now();
  signals_ioc.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const int still_open = open.load();
  work.reset();
  ioc.stop();
  for (auto& runner : runners) runner.join();
  std::printf("ops subscribers %d (failed %d, still open at the end %d) over %.1f s\n", subscribers,
              failed.load(), still_open, seconds);
  std::printf("events received %llu in %llu messages (%.1f events per message), gaps %llu\n",
              static_cast<unsigned long long>(events.load()),
              static_cast<unsigned long long>(messages.load()),
              messages.load()
                  ? static_cast<double>(events.load()) / static_cast<double>(messages.load())
                  : 0.0,
              static_cast<unsigned long long>(gaps.load()));
  std::printf(
      "ops delivery latency publish->receive (ms, n=%llu): p50 %.1f  p90 %.1f  p99 %.1f  max "
      "%.1f\n",
      static_cast<unsigned long long>(histogram.count.load()), histogram.percentile(50),
      histogram.percentile(90), histogram.percentile(99), histogram.percentile(100));
  return gaps == 0 && failed == 0 && still_open == subscribers ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto arg = [&](std::size_t i, int fallback) {
    return i < args.size() ? std::stoi(args[i]) : fallback;
  };
  if (args.size() < 2) {
    std::fprintf(stderr,
                 "usage: evapo_serve_load post|fanout|idle|ops PORT ... (see the source header)\n");
    return 2;
  }
  raise_file_limit();
  std::vector<unsigned short> ports;
  for (std::size_t at = 0; at < args[1].size();) {
    const auto comma = args[1].find(',', at);
    ports.push_back(static_cast<unsigned short>(std::stoi(args[1].substr(at, comma - at))));
    at = comma == std::string::npos ? args[1].size() : comma + 1;
  }
  const auto port = ports.front();
  try {
    if (args[0] == "post") return run_post(port, arg(2, 1000), arg(3, 50), arg(4, 365), arg(5, 0));
    if (args[0] == "fanout") return run_fanout(ports, arg(2, 50), arg(3, 2000));
    if (args[0] == "ops") return run_ops(port, arg(2, 2000), arg(3, 900));
    if (args[0] == "idle" && args.size() >= 4)
      return run_idle(port, std::stoi(args[2]), args[3], arg(4, 20000));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "evapo_serve_load: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "unknown scenario\n");
  return 2;
}
