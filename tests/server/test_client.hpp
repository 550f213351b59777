#pragma once

// A small synchronous HTTP / WebSocket client over Beast for the server tests: real sockets,
// real protocol, nothing mocked. Compiled once (test_client.cpp): Beast's templates instantiated
// in every test file cost over half of each one's compile time.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

namespace evapo::server::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct HttpResult {
  unsigned status = 0;
  std::string body;
  http::fields headers;

  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

/// One request on a fresh connection; status 0 when nobody answered.
HttpResult http_call(std::uint16_t port, http::verb method, const std::string& target,
                     const std::string& body = {},
                     const std::map<std::string, std::string>& headers = {});

/// Sends `bytes` as they are (a request no well-behaved client would write) on a fresh
/// connection and reads one response; status 0 when the server closed without answering.
HttpResult http_raw(std::uint16_t port, const std::string& bytes);

inline HttpResult http_get(std::uint16_t port, const std::string& target) {
  return http_call(port, http::verb::get, target);
}

inline HttpResult http_post(std::uint16_t port, const std::string& target,
                            const std::string& body) {
  return http_call(port, http::verb::post, target, body);
}

/// An upload sent by hand over a raw socket: the head, then the body in pieces (with a pause
/// after each), optionally cut short; then the answer, if any.
struct RawUpload {
  std::string target{};
  std::string key{};
  std::string content_type = "text/csv";
  std::optional<std::size_t> content_length{};  // nullopt: chunked transfer encoding
  std::vector<std::string> pieces{};
  std::chrono::milliseconds pause{0};
  bool close_early = false;  // stop after the pieces without finishing the body
  bool wait_for_answer_before_body = false;
  std::string origin{};  // sent as Origin when set (a browser's request)
};

HttpResult send_raw(std::uint16_t port, const RawUpload& upload);

/// A WebSocket client on /ws/task_status/{id}.
class WsClient {
 public:
  /// Connects and upgrades; `receive_buffer_bytes` > 0 shrinks the socket's receive buffer
  /// (to make a slow consumer quickly).
  explicit WsClient(std::uint16_t port, const std::string& target, int receive_buffer_bytes = 0);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  /// The next text message, or nullopt once the connection closed (see close_code()).
  // Deadlines are generous: CI is a loaded 2-core machine, and a test waits on the event, not on
  // the clock.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = std::chrono::seconds(60));

  /// The next text message as text, or nullopt once the connection closed.
  std::optional<std::string> next_text(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  /// Every message until the server closes.
  std::vector<nlohmann::json> read_all(
      std::chrono::milliseconds timeout = std::chrono::seconds(60));

  /// The close code the server sent (0 when it did not close politely).
  int close_code() const;
  std::string close_reason() const;
  beast::error_code error() const { return error_; }

  void close();

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
  beast::error_code error_;
};

/// Sequence numbers of `events`.
std::vector<std::int64_t> seqs(const std::vector<nlohmann::json>& events);

}  // namespace evapo::server::testing
