// Issue 14's benchmark: a 10-year hourly station file (87,600 rows, made from the Fallon 2015
// record) is uploaded to a real `evapo serve` on loopback, stored, and its ETo computed, end to
// end; beside it the server-side parse + validate rate (the same code, in process, and as the
// server reports it), the server's peak memory during the upload against the file's size, and
// the time pandas takes to read the same file as an analyst would.
//
// Usage: evapo_upload_bench EVAPO_BINARY SOURCE_HOURLY_CSV WORK_DIR [YEARS=10]
// (run_upload_bench.sh passes the built binary, examples/fallon_hourly_2015.csv and a temp dir).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <signal.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <evapo/datasets/dataset_upload.hpp>
#include <evapo/io/csv_document.hpp>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `years` years of hourly rows ending in 2015, each year the Fallon 2015 hours (a missing hour
// repeats the one before; 29 February is left out, as a station gap): 8,760 rows a year.
std::string make_hourly_file(const std::string& source, int years) {
  auto document = evapo::io::parse_csv(source, "source");
  if (!document) throw std::runtime_error(document.error().message);
  std::map<std::string, std::vector<std::string>> by_hour;  // "MM-DDTHH:MM" -> fields
  for (auto& record : document->records) by_hour[record.fields[0].substr(5)] = record.fields;
  std::string out;
  for (std::size_t i = 0; i < document->header.size(); ++i) {
    out += (i ? "," : "") + document->header[i];
  }
  out += '\n';
  const std::vector<std::string>* previous = &document->records.front().fields;
  for (int year = 2015 - years + 1; year <= 2015; ++year) {
    for (int month = 1; month <= 12; ++month) {
      static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      for (int day = 1; day <= kDays[month - 1]; ++day) {
        for (int hour = 0; hour < 24; ++hour) {
          char key[32];
          std::snprintf(key, sizeof key, "%02d-%02dT%02d:00", month, day, hour);
          const auto found = by_hour.find(key);
          if (found != by_hour.end()) previous = &found->second;
          out += std::to_string(year) + "-" + key;
          for (std::size_t i = 1; i < previous->size(); ++i) out += "," + (*previous)[i];
          out += '\n';
        }
      }
    }
  }
  return out;
}

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

struct Rate {
  double per_cpu_second = 0.0;   // MB per second of CPU time: the code's speed
  double per_wall_second = 0.0;  // MB per second of wall time: also how busy the machine is
};

// Parse + validate in process, exactly as an upload does (64 KB pieces): the best of `runs`.
Rate parse_rate(const std::string& text, int runs) {
  Rate best;
  const double mb = static_cast<double>(text.size()) / 1e6;
  for (int run = 0; run < runs; ++run) {
    evapo::datasets::UploadOptions options;
    options.expected_bytes = text.size();
    evapo::datasets::DatasetUpload upload(options);
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    constexpr std::size_t kPiece = 64 * 1024;
    for (std::size_t at = 0; at < text.size(); at += kPiece) {
      if (!upload.push(std::string_view(text).substr(at, kPiece)))
        throw std::runtime_error("refused");
    }
    auto rows = upload.finish();
    const double cpu = cpu_seconds() - cpu_start;
    const double wall = seconds_since(start);
    if (!rows) throw std::runtime_error(rows.error().message);
    best.per_cpu_second = std::max(best.per_cpu_second, mb / cpu);
    best.per_wall_second = std::max(best.per_wall_second, mb / wall);
  }
  return best;
}

// CPU seconds (user + system) the process has used.
double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0.0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double load_average() {
  std::ifstream in("/proc/loadavg");
  double one_minute = 0.0;
  in >> one_minute;
  return one_minute;
}

struct Server {
  pid_t pid = -1;
  unsigned short port = 0;
};

Server start_server(const std::string& evapo, const std::string& data_dir) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  Server server;
  server.pid = fork();
  if (server.pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    setenv("EVAPO_RATE_LIMIT_PER_S", "0", 1);
    execl(evapo.c_str(), evapo.c_str(), "serve", "--port", "0", "--data-dir", data_dir.c_str(),
          "--workers", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string text;
  char buffer[256];
  while (text.find('\n') == std::string::npos) {
    const ssize_t got = read(out[0], buffer, sizeof buffer);
    if (got <= 0) throw std::runtime_error("evapo serve did not start");
    text.append(buffer, static_cast<std::size_t>(got));
  }
  // "evapo serve: listening on http://HOST:PORT" is the first line; more may have come with it.
  text.resize(text.find('\n'));
  const auto colon = text.rfind(':');
  server.port = static_cast<unsigned short>(std::stoi(text.substr(colon + 1)));
  return server;
}

long status_kb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

struct Answer {
  unsigned status = 0;
  std::string body;
};

Answer request(unsigned short port, http::verb method, const std::string& target,
               const std::string& key, const std::string& body, const std::string& type) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!key.empty()) req.set(http::field::authorization, "Bearer " + key);
  req.set(http::field::content_type, type);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ULL << 31);
  http::read(stream, buffer, parser);
  return {parser.get().result_int(), parser.get().body()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s EVAPO_BINARY SOURCE_HOURLY_CSV WORK_DIR [YEARS]\n", argv[0]);
    return 2;
  }
  const std::string evapo = argv[1];
  const std::string work = argv[3];
  const int years = argc > 4 ? std::atoi(argv[4]) : 10;
  const std::string file = make_hourly_file(read_file(argv[2]), years);
  const std::string path = work + "/hourly_" + std::to_string(years) + "y.csv";
  std::ofstream(path, std::ios::binary) << file;
  const std::size_t rows = static_cast<std::size_t>(std::count(file.begin(), file.end(), '\n')) - 1;
  const double file_mb = static_cast<double>(file.size()) / 1e6;
  std::printf("file: %zu rows, %.2f MB (%s)\n", rows, file_mb, path.c_str());

  std::printf("machine: %ld CPUs, load average %.1f (figures per wall second depend on it)\n",
              sysconf(_SC_NPROCESSORS_ONLN), load_average());
  const Rate in_process = parse_rate(file, 5);
  std::printf("parse + validate, in process (best of 5): %.1f MB per CPU second, %.1f MB/s wall\n",
              in_process.per_cpu_second, in_process.per_wall_second);

  Server server = start_server(evapo, work + "/data");
  const std::string key = nlohmann::json::parse(
      request(server.port, http::verb::post, "/api/v1/workspaces", "", "{}", "application/json")
          .body)["key"];
  // Peak memory of the upload alone: the high-water mark is reset to the current RSS first.
  std::ofstream("/proc/" + std::to_string(server.pid) + "/clear_refs") << "5";
  const long rss_before_kb = status_kb(server.pid, "VmRSS");
  const double cpu_before_upload = process_cpu_seconds(server.pid);
  const auto upload_start = Clock::now();
  const Answer uploaded =
      request(server.port, http::verb::post, "/api/v1/datasets", key, file, "text/csv");
  const double upload_s = seconds_since(upload_start);
  const long peak_kb = status_kb(server.pid, "VmHWM");
  const double upload_cpu_s = process_cpu_seconds(server.pid) - cpu_before_upload;
  if (uploaded.status != 201) {
    std::fprintf(stderr, "upload refused: %u %s\n", uploaded.status,
                 uploaded.body.substr(0, 500).c_str());
    kill(server.pid, SIGKILL);
    return 1;
  }
  const auto dataset = nlohmann::json::parse(uploaded.body);
  const double server_rate = dataset["upload"]["parse_mb_s"].get<double>();
  const double cpu_before_calc = process_cpu_seconds(server.pid);
  const auto calc_start = Clock::now();
  const Answer submitted =
      request(server.port, http::verb::post,
              "/api/v1/datasets/" + dataset["id"].get<std::string>() + "/calculations", key, "{}",
              "application/json");
  const std::string task = nlohmann::json::parse(submitted.body)["task_id"];
  nlohmann::json record;
  while (true) {
    record = nlohmann::json::parse(
        request(server.port, http::verb::get, "/api/v1/tasks/" + task, "", "", "application/json")
            .body);
    const std::string status = record["status"];
    if (status != "queued" && status != "processing") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double calc_s = seconds_since(calc_start);
  const double calc_cpu_s = process_cpu_seconds(server.pid) - cpu_before_calc;
  kill(server.pid, SIGTERM);
  waitpid(server.pid, nullptr, 0);
  if (record["status"] != "success") {
    std::fprintf(stderr, "calculation ended %s\n", record.dump().substr(0, 500).c_str());
    return 1;
  }
  std::printf("server-side parse + validate (reported by the upload): %.1f MB per CPU second\n",
              server_rate);
  std::printf("upload -> 201 (read, validated, stored): %.3f s wall, %.3f s of server CPU\n",
              upload_s, upload_cpu_s);
  std::printf(
      "server RSS: %.1f MB before, peak %.1f MB during the upload: +%.1f MB = %.2f x the file\n",
      static_cast<double>(rss_before_kb) / 1024.0, static_cast<double>(peak_kb) / 1024.0,
      static_cast<double>(peak_kb - rss_before_kb) / 1024.0,
      static_cast<double>(peak_kb - rss_before_kb) * 1024.0 / static_cast<double>(file.size()));
  std::printf(
      "ETo of %zu rows (task queued -> SUCCESS read back): %.3f s wall, %.3f s of server CPU\n",
      record["result"]["results"].size(), calc_s, calc_cpu_s);
  std::printf(
      "end to end (upload -> dataset stored -> ETo results complete): %.3f s wall, %.3f s of "
      "server CPU\n",
      upload_s + calc_s, upload_cpu_s + calc_cpu_s);

  FILE* pipe =
      popen(("/usr/bin/python3 " + std::string(EVAPO_BENCH_DIR) + "/pandas_read.py " + path + " 3")
                .c_str(),
            "r");
  std::string out;
  char buffer[512];
  while (pipe != nullptr && fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  const auto pandas = nlohmann::json::parse(out, nullptr, false);
  if (status != 0 || !pandas.is_object()) {
    std::printf("pandas: not available (apt-get install python3-pandas)\n");
    return 0;
  }
  const double pandas_cpu_s = pandas["cpu_seconds"].get<double>();
  const double evapo_cpu_s = file_mb / in_process.per_cpu_second;
  std::printf(
      "pandas %s read_csv + to_datetime (best of 3): %.3f CPU s = %.1f MB per CPU second (%.1f "
      "MB/s wall)\n",
      pandas["pandas"].get<std::string>().c_str(), pandas_cpu_s, file_mb / pandas_cpu_s,
      file_mb / pandas["seconds"].get<double>());
  std::printf(
      "ratio: evapo's parse + validate takes %.2f x pandas' read time (%.3f vs %.3f CPU s): %.1f x "
      "faster\n",
      evapo_cpu_s / pandas_cpu_s, evapo_cpu_s, pandas_cpu_s, pandas_cpu_s / evapo_cpu_s);
  return 0;
}
