#include "http_session.hpp"

#include <optional>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <zlib.h>

namespace evapo::sim {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

// gzip as the real APIs send it when the client accepts it; nullopt when zlib fails.
std::optional<std::string> gzip(const std::string& data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::string serialize(const SimResponse& response, bool keep_alive) {
  const auto reason = http::obsolete_reason(http::int_to_status(response.status));
  std::string out =
      "HTTP/1.1 " + std::to_string(response.status) + " " + std::string(reason) + "\r\n";
  out += "Server: evapo-upstream-sim\r\n";
  out += "Content-Type: " + response.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  // A truncated answer announces the full length but sends only half of the body.
  out += response.action == SimResponse::Action::truncate
             ? response.body.substr(0, response.body.size() / 2)
             : response.body;
  return out;
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, Router& router)
    : stream_(std::move(socket)), timer_(stream_.get_executor()), router_(router) {}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  request_ = {};
  stream_.expires_after(std::chrono::seconds(60));
  http::async_read(stream_, buffer_, request_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    close();
    return;
  }
  keep_alive_ = request_.keep_alive();
  const auto accept_encoding = request_[http::field::accept_encoding];
  const bool accepts_gzip =
      std::string_view(accept_encoding.data(), accept_encoding.size()).find("gzip") !=
      std::string_view::npos;
  const auto host = request_[http::field::host];
  const auto agent = request_[http::field::user_agent];
  try {
    pending_ = router_.handle(
        std::string_view(request_.method_string().data(), request_.method_string().size()),
        std::string_view(request_.target().data(), request_.target().size()), request_.body(),
        host.empty() ? std::string_view("127.0.0.1") : std::string_view(host.data(), host.size()),
        std::string_view(agent.data(), agent.size()));
  } catch (const std::exception& e) {
    // Nothing may escape an async handler: a builder bug becomes a 500, not a dead server.
    pending_ = json_response(
        500, std::string(R"({"error":true,"reason":"simulator: )") + e.what() + "\"}");
  }
  if (accepts_gzip && pending_.body.size() > 1024 &&
      pending_.action != SimResponse::Action::reset) {
    if (auto compressed = gzip(pending_.body)) {
      pending_.body = std::move(*compressed);
      pending_.headers.emplace_back("Content-Encoding", "gzip");
      pending_.headers.emplace_back("Vary", "Accept-Encoding");
    }
  }
  if (pending_.delay.count() > 0) {
    timer_.expires_after(pending_.delay);
    timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->send();
    });
    return;
  }
  send();
}

void HttpSession::send() {
  if (pending_.action == SimResponse::Action::reset) {
    // Linger 0 makes close() send a TCP RST: the client sees "connection reset by peer".
    beast::error_code ignored;
    stream_.socket().set_option(net::socket_base::linger(true, 0), ignored);
    stream_.socket().close(ignored);
    return;
  }
  out_ = serialize(pending_, keep_alive_);
  stream_.expires_after(std::chrono::seconds(30));
  net::async_write(stream_, net::buffer(out_),
                   beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
}

void HttpSession::on_write(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec || !keep_alive_ || pending_.action == SimResponse::Action::truncate) {
    close();
    return;
  }
  do_read();
}

void HttpSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace evapo::sim
