#pragma once

// One station CSV upload (POST /api/v1/datasets, POST /api/v1/datasets/{id}/rows), read as it
// arrives: the caller, the type, the size and the parameters are checked from the header, before
// the body (401/404/413/415/422 at once, 100-continue only when all is well); then each piece
// of the body goes through the multipart reader (browsers) or straight to the CSV reader, with
// `upload_progress` at most every 250 ms. Nothing is stored until the whole file has been read
// and accepted, in one transaction: a refused file, a client that disconnects or a process
// killed midway leaves nothing behind. The answer closes the connection. What reads or writes
// the stores (the caller's key, the dataset appended to, the final write) runs on the blocking
// pool; an exception anywhere becomes a 500 answer, never the end of the process.

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <evapo/datasets/dataset_records.hpp>
#include <evapo/datasets/dataset_upload.hpp>
#include <evapo/server/http_types.hpp>
#include <evapo/server/multipart_reader.hpp>
#include <evapo/server/router.hpp>
#include <evapo/server/upload_parameters.hpp>
#include <evapo/server/workspace_access.hpp>

namespace evapo::server {

class ServerState;

class UploadSession : public std::enable_shared_from_this<UploadSession> {
 public:
  using HeaderParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;

  UploadSession(boost::beast::tcp_stream&& stream, boost::beast::flat_buffer&& buffer,
                HeaderParser&& header, std::shared_ptr<ServerState> state, const Route& route,
                PathParams params, std::chrono::steady_clock::time_point started);
  ~UploadSession();

  /// Starts: answers `refusal` (the server's rules refused the request) with the body drained,
  /// or checks the header and reads the body. `cors_origin`: see add_response_headers.
  void run(std::optional<HttpResponse> refusal, std::string cors_origin);

 private:
  enum class Phase { reading, discarding };

  std::optional<HttpResponse> check_header();
  void continue_and_read();
  void read_some();
  void on_read(boost::beast::error_code ec);
  void consume(std::string_view piece);
  void push_piece(std::string_view piece);
  void complete();
  HttpResponse finish_upload();
  void refuse(HttpResponse response);
  void publish_refusal(const HttpResponse& response);
  void drain();
  void fail_early(HttpResponse response);
  void send(HttpResponse response);
  void publish_progress();
  void publish_error(int status, const std::string& code, const std::string& message,
                     std::size_t problem_count);
  domain::Expected<void> begin_file(std::optional<std::string> file_name);
  MultipartHandler multipart_handler();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  HttpRequest head_;  // the request line and headers (no body), for answers
  std::optional<boost::beast::http::request_parser<boost::beast::http::buffer_body>> parser_;
  std::shared_ptr<ServerState> state_;
  std::string route_name_;
  PathParams params_;
  std::chrono::steady_clock::time_point started_;
  std::string cors_origin_;

  Caller caller_;
  std::optional<datasets::StoredDataset> append_to_;  // the dataset of an append
  std::map<std::string, std::string> fields_;         // query parameters, then form fields
  UploadParameters parameters_;
  std::string upload_id_;
  std::optional<std::uint64_t> content_length_;
  std::optional<MultipartReader> multipart_;
  std::optional<MultipartPart> part_;  // the multipart part being read
  std::string part_value_;             // a form field's value so far
  bool file_seen_ = false;
  std::optional<datasets::DatasetUpload> upload_;
  std::array<char, 64 * 1024> chunk_{};
  std::uint64_t received_ = 0;
  Phase phase_ = Phase::reading;
  std::optional<HttpResponse> refusal_;
  std::chrono::steady_clock::time_point last_progress_{};
  std::shared_ptr<HttpResponse> response_;
};

}  // namespace evapo::server
