#include <algorithm>
#include <cctype>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/domain/random_id.hpp>
#include <evapo/io/station_eto.hpp>
#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/query_string.hpp>
#include <evapo/server/response_headers.hpp>
#include <evapo/server/server_state.hpp>
#include <evapo/server/upload_session.hpp>
#include <evapo/server/workspace_services.hpp>

namespace evapo::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(30);
constexpr auto kDrainTimeout = std::chrono::seconds(5);
constexpr auto kProgressPeriod = std::chrono::milliseconds(250);
constexpr std::size_t kMaxFieldBytes = 4096;
constexpr std::string_view kFilePart = "file";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_csv_type(std::string_view content_type) {
  const std::string type = lower(content_type.substr(0, content_type.find(';')));
  const auto trimmed = type.substr(0, type.find_last_not_of(" \t") + 1);
  return trimmed == "text/csv" || trimmed == "application/csv";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "station.csv" -> "station"; a name shown when the user gave none.
std::string name_from_file(const std::string& file_name) {
  std::string name = file_name.substr(file_name.find_last_of("/\\") + 1);
  if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
  return name.empty() ? std::string("station data") : name;
}

nlohmann::json problems_json(const std::vector<io::RowProblem>& problems) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& problem : problems) list.push_back(datasets::to_json(problem));
  return list;
}

HttpResponse refusal_response(const HttpRequest& head, const datasets::UploadRefusal& refusal,
                              const std::string& upload_id) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& problem : refusal.problems) {
    details.push_back(
        {{"field", problem.column.empty() ? "file" : problem.column},
         {"reason", problem.line > 0 ? fmt::format("line {}: {}", problem.line, problem.reason)
                                     : problem.reason}});
  }
  const nlohmann::json body{{"error",
                             {{"code", refusal.code},
                              {"message", refusal.message},
                              {"details", std::move(details)},
                              {"problems", problems_json(refusal.problems)},
                              {"problem_count", refusal.problem_count}}},
                            {"upload_id", upload_id}};
  return json_response(head, http::status::unprocessable_entity, json_text(body));
}

}  // namespace

UploadSession::UploadSession(beast::tcp_stream&& stream, beast::flat_buffer&& buffer,
                             HeaderParser&& header, std::shared_ptr<ServerState> state,
                             const Route& route, PathParams params,
                             std::chrono::steady_clock::time_point started)
    : stream_(std::move(stream)),
      buffer_(std::move(buffer)),
      head_(header.get().base()),
      state_(std::move(state)),
      route_name_(route.name),
      params_(std::move(params)),
      started_(started) {
  if (const auto length = header.content_length()) content_length_ = *length;
  parser_.emplace(std::move(header));
  // The upload limit is this session's (413 with a message), not the parser's.
  parser_->body_limit(boost::none);
  state_->connections().fetch_add(1);
}

UploadSession::~UploadSession() {
  state_->connections().fetch_sub(1);
}

void UploadSession::run(std::optional<HttpResponse> refusal, std::string cors_origin) {
  cors_origin_ = std::move(cors_origin);
  if (refusal) {
    return net::post(stream_.get_executor(),
                     [self = shared_from_this(), refusal = std::move(*refusal)]() mutable {
                       self->fail_early(std::move(refusal));
                     });
  }
  // The header's checks read the workspace store.
  net::post(state_->blocking_executor(), [self = shared_from_this()] {
    std::optional<HttpResponse> refused;
    bool checked = false;
    guarded("an upload's header check", [&] {
      refused = self->check_header();
      checked = true;
    });
    if (!checked) refused = error_response(self->head_, domain::Error::internal("internal error"));
    net::post(self->stream_.get_executor(), [self, refused = std::move(refused)]() mutable {
      if (refused) return self->fail_early(std::move(*refused));
      self->continue_and_read();
    });
  });
}

std::optional<HttpResponse> UploadSession::check_header() {
  WorkspaceServices* services = state_->workspaces();
  if (services == nullptr) {
    return error_response(head_, domain::Error::not_found("no datasets on this server"));
  }
  if (state_->stopping()) {
    HttpResponse response = error_response(
        head_, domain::Error::unavailable("the server is shutting down; retry shortly"));
    response.set(http::field::retry_after, "5");
    return response;
  }
  auto caller = services->access->identify(head_);
  if (!caller) return std::move(caller.error());
  if (caller->kind == Caller::Kind::admin) {
    return error_response(head_, http::status::forbidden, "FORBIDDEN",
                          "the admin token reads every workspace but owns none: upload with a "
                          "workspace key");
  }
  caller_ = *caller;
  if (const auto id = params_.find("dataset_id"); id != params_.end()) {
    auto found = find_visible_dataset(*services, head_, caller_, id->second);
    if (!found) return std::move(found.error());
    append_to_ = std::move(*found);
  }
  const std::string content_type(head_[http::field::content_type]);
  if (auto boundary = multipart_boundary(content_type)) {
    multipart_.emplace(std::move(*boundary), multipart_handler());
  } else if (!is_csv_type(content_type)) {
    return error_response(head_, http::status::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE",
                          "send the station file as text/csv (parameters in the query) or as "
                          "multipart/form-data (a part named 'file')");
  }
  const std::size_t limit = state_->config().upload_limit_bytes;
  if (content_length_ && *content_length_ > limit) {
    return error_response(head_, http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                          fmt::format("the file is {} bytes; uploads are limited to {} bytes",
                                      *content_length_, limit));
  }
  for (const char* name :
       {"name", "file_name", "latitude_deg", "longitude_deg", "elevation_m", "wind_height_m",
        "tz_offset_h", "skip_invalid", "replace", "upload_id"}) {
    std::string value = query_parameter(head_.target(), name);
    if (!value.empty()) fields_[name] = std::move(value);
  }
  auto parameters = parse_upload_parameters(fields_);
  if (!parameters) return error_response(head_, parameters.error());
  parameters_ = std::move(*parameters);
  upload_id_ = parameters_.upload_id.empty() ? domain::random_hex(16) : parameters_.upload_id;
  if (!multipart_) {
    if (auto begun = begin_file(std::nullopt); !begun) {
      return refusal_ ? std::move(*refusal_) : error_response(head_, begun.error());
    }
  }
  return std::nullopt;
}

domain::Expected<void> UploadSession::begin_file(std::optional<std::string> file_name) {
  auto parameters = parse_upload_parameters(fields_);
  if (!parameters) {
    refusal_ = error_response(head_, parameters.error());
    return domain::fail(parameters.error());
  }
  parameters_ = std::move(*parameters);
  // A browser's form names its upload in a field before the file part.
  if (!parameters_.upload_id.empty()) upload_id_ = parameters_.upload_id;
  if (parameters_.file_name.empty()) parameters_.file_name = file_name.value_or("upload.csv");
  datasets::UploadOptions options{
      .source_name = parameters_.file_name,
      .site = parameters_.site,
      .timestep = std::nullopt,
      .columns = std::nullopt,
      .invalid_rows = parameters_.invalid_rows,
      .expected_bytes =
          std::min<std::size_t>(content_length_.value_or(0), state_->config().upload_limit_bytes)};
  if (append_to_) {
    options.site = append_to_->meta.site_defaults;
    options.timestep = append_to_->meta.timestep;
    options.columns = append_to_->meta.columns;
  }
  upload_.emplace(std::move(options));
  file_seen_ = true;
  return {};
}

MultipartHandler UploadSession::multipart_handler() {
  return MultipartHandler{
      .begin = [this](const MultipartPart& part) -> domain::Expected<void> {
        part_ = part;
        part_value_.clear();
        if (part.name == kFilePart) {
          if (file_seen_) {
            refusal_ =
                error_response(head_, domain::Error::invalid_argument(
                                          "one file per upload", {{"file", "a second file part"}}));
            return domain::fail(domain::Error::invalid_argument("a second file"));
          }
          return begin_file(part.filename);
        }
        if (file_seen_ && is_upload_parameter(part.name)) {
          const auto error = domain::Error::invalid_argument(
              "form fields must come before the file",
              {{part.name, "sent after the file part; put it before"}});
          refusal_ = error_response(head_, error);
          return domain::fail(error);
        }
        return {};
      },
      .data = [this](std::string_view data) -> domain::Expected<void> {
        if (part_ && part_->name == kFilePart) {
          auto pushed = upload_->push(data);
          if (!pushed) {
            refusal_ = refusal_response(head_, pushed.error(), upload_id_);
            return domain::fail(domain::Error::invalid_argument(pushed.error().message));
          }
          return {};
        }
        if (part_value_.size() + data.size() > kMaxFieldBytes) {
          const auto error = domain::Error::invalid_argument(
              "a form field is too long", {{part_ ? part_->name : "", "at most 4096 bytes"}});
          refusal_ = error_response(head_, error);
          return domain::fail(error);
        }
        part_value_.append(data);
        return {};
      },
      .end = [this]() -> domain::Expected<void> {
        if (part_ && part_->name != kFilePart && is_upload_parameter(part_->name)) {
          fields_[part_->name] = part_value_;
        }
        part_.reset();
        return {};
      }};
}

void UploadSession::continue_and_read() {
  if (lower(std::string(head_[http::field::expect])) != "100-continue") return read_some();
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_.expires_after(kReadTimeout);
  net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (ec) return;
                     self->read_some();
                   });
}

void UploadSession::read_some() {
  if (parser_->is_done()) return complete();
  auto& body = parser_->get().body();
  body.data = chunk_.data();
  body.size = chunk_.size();
  stream_.expires_after(kReadTimeout);
  // What has arrived is taken now (async_read would wait for a full 64 KB piece).
  http::async_read_some(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void UploadSession::on_read(beast::error_code ec) {
  if (ec == http::error::need_buffer) ec = {};
  if (ec) {
    const bool timed_out = ec == beast::error::timeout;
    publish_error(0, timed_out ? "TIMEOUT" : "DISCONNECTED",
                  timed_out ? "the client stopped sending the file (no data for 30 s)"
                            : "the client disconnected before the end of the file",
                  0);
    return;  // nothing was stored; the socket closes with this session
  }
  const std::size_t got = chunk_.size() - parser_->get().body().size;
  received_ += got;
  const std::size_t limit = state_->config().upload_limit_bytes;
  if (received_ > limit) {
    return fail_early(error_response(head_, http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                                     fmt::format("uploads are limited to {} bytes", limit)));
  }
  consume(std::string_view(chunk_.data(), got));
  if (parser_->is_done()) return complete();
  read_some();
}

void UploadSession::consume(std::string_view piece) {
  if (phase_ == Phase::discarding || piece.empty()) return;
  bool pushed = false;
  guarded("reading an upload", [&] {
    push_piece(piece);
    pushed = true;
  });
  if (!pushed) {
    refusal_ = error_response(head_, domain::Error::internal("internal error"));
    phase_ = Phase::discarding;
  }
}

void UploadSession::push_piece(std::string_view piece) {
  domain::Expected<void> read;
  if (multipart_) {
    read = multipart_->push(piece);
  } else if (auto pushed = upload_->push(piece); !pushed) {
    refusal_ = refusal_response(head_, pushed.error(), upload_id_);
    read = domain::fail(domain::Error::invalid_argument(pushed.error().message));
  }
  if (!read) {
    // The rest of the body is read and dropped, so that the client sees the answer.
    if (!refusal_) {
      refusal_ =
          error_response(head_, http::status::bad_request, "BAD_REQUEST", read.error().message);
    }
    phase_ = Phase::discarding;
    return;
  }
  publish_progress();
}

void UploadSession::complete() {
  if (!refusal_ && multipart_) {
    if (auto finished = multipart_->finish(); !finished) {
      refusal_ =
          error_response(head_, http::status::bad_request, "BAD_REQUEST", finished.error().message);
    } else if (!file_seen_) {
      refusal_ = error_response(
          head_, domain::Error::invalid_argument(
                     "no file in the form", {{"file", "send the CSV in a part named 'file'"}}));
    }
  }
  if (refusal_) return refuse(std::move(*refusal_));
  // The whole file is written in one transaction, which may take a while for a big one.
  net::post(state_->blocking_executor(), [self = shared_from_this()] {
    std::optional<HttpResponse> response;
    guarded("storing an upload", [&] { response = self->finish_upload(); });
    if (!response) {
      self->publish_error(500, "INTERNAL_ERROR", "internal error", 0);
      response = error_response(self->head_, domain::Error::internal("internal error"));
    }
    net::post(self->stream_.get_executor(), [self, response = std::move(*response)]() mutable {
      self->send(std::move(response));
    });
  });
}

HttpResponse UploadSession::finish_upload() {
  WorkspaceServices& services = *state_->workspaces();
  auto finished = upload_->finish();
  publish_progress();
  if (!finished) {
    HttpResponse response = refusal_response(head_, finished.error(), upload_id_);
    publish_error(422, finished.error().code, finished.error().message,
                  finished.error().problem_count);
    return response;
  }
  const std::string now = domain::format_iso_utc_millis(std::chrono::system_clock::now());
  const double parse_seconds = std::chrono::duration<double>(upload_->parse_cpu_time()).count();
  const std::int64_t rows_parsed = upload_->rows_parsed();
  const std::size_t rejected_count = finished->rejected_count;
  nlohmann::json upload{
      {"upload_id", upload_id_},
      {"bytes", received_},
      {"rows_parsed", rows_parsed},
      {"rows_rejected", rejected_count},
      {"rejected", problems_json(finished->rejected)},
      {"parse_cpu_seconds", parse_seconds},
      {"parse_mb_s",
       parse_seconds > 0.0 ? static_cast<double>(received_) / 1e6 / parse_seconds : 0.0}};
  const auto fail_store = [&](const domain::Error& error) {
    publish_error(static_cast<int>(http_status(error.code)),
                  std::string(api_error_code(error.code)), error.message, 0);
    return error_response(head_, error);
  };
  if (!append_to_) {
    const std::string name =
        parameters_.name.empty() ? name_from_file(parameters_.file_name) : parameters_.name;
    const auto rows_count = static_cast<std::int64_t>(finished->rows.size());
    storage::DatasetRecord record = datasets::new_dataset_record(
        domain::random_hex(16), caller_.workspace_id, name, *finished, parameters_.site,
        {.file_name = parameters_.file_name, .bytes = received_, .parse_seconds = parse_seconds},
        now);
    if (auto created = services.stores.datasets->create(record, finished->rows); !created) {
      return fail_store(created.error());
    }
    auto meta = datasets::parse_meta(record.meta_json);
    if (!meta) return fail_store(meta.error());
    nlohmann::json body = datasets::dataset_json(record, *meta);
    body["upload"] = upload;
    services.publish(ops::EventType::upload_complete, {{"upload_id", upload_id_},
                                                       {"dataset_id", record.id},
                                                       {"bytes", received_},
                                                       {"rows", rows_count},
                                                       {"rows_rejected", rejected_count},
                                                       {"seconds", seconds_since(started_)}});
    services.publish(ops::EventType::dataset_created, {{"dataset_id", record.id},
                                                       {"timestep", io::to_string(meta->timestep)},
                                                       {"rows", rows_count},
                                                       {"start", body["period"]["start"]},
                                                       {"end", body["period"]["end"]}});
    services.publish_activity("dataset", "created", record.id,
                              {{"rows", rows_count}, {"timestep", io::to_string(meta->timestep)}});
    HttpResponse response = json_response(head_, http::status::created, json_text(body));
    response.set(http::field::location, "/api/v1/datasets/" + record.id);
    return response;
  }
  const auto rule = parameters_.replace == OverlapReplace::yes ? datasets::OverlapRule::replace
                                                               : datasets::OverlapRule::refuse;
  auto appended = datasets::append_rows(*services.stores.datasets, append_to_->record,
                                        append_to_->meta, std::move(*finished), rule, now);
  if (!appended) return fail_store(appended.error());
  if (appended->overlap_count > 0) {
    const std::string message = fmt::format(
        "{} row(s) have time stamps the dataset already holds; nothing was stored (send "
        "replace=true to replace them)",
        appended->overlap_count);
    publish_error(409, "OVERLAP", message, static_cast<std::size_t>(appended->overlap_count));
    const nlohmann::json body{{"error",
                               {{"code", "OVERLAP"},
                                {"message", message},
                                {"details", nlohmann::json::array()},
                                {"overlapping", appended->overlapping},
                                {"overlap_count", appended->overlap_count}}},
                              {"upload_id", upload_id_}};
    return json_response(head_, http::status::conflict, json_text(body));
  }
  if (!appended->problems.empty()) {
    const datasets::UploadRefusal refusal{
        .code = "INVALID_ROWS",
        .message = "the rows do not fit the dataset's time step; nothing was stored",
        .problems = appended->problems,
        .problem_count = appended->problems.size()};
    publish_error(422, refusal.code, refusal.message, refusal.problem_count);
    return refusal_response(head_, refusal, upload_id_);
  }
  auto meta = datasets::parse_meta(appended->record.meta_json);
  if (!meta) return fail_store(meta.error());
  nlohmann::json body{{"dataset", datasets::dataset_json(appended->record, *meta)},
                      {"added", appended->added},
                      {"replaced", appended->replaced},
                      {"upload", upload}};
  services.publish(ops::EventType::upload_complete, {{"upload_id", upload_id_},
                                                     {"dataset_id", appended->record.id},
                                                     {"bytes", received_},
                                                     {"rows", appended->added + appended->replaced},
                                                     {"rows_rejected", rejected_count},
                                                     {"seconds", seconds_since(started_)}});
  services.publish(ops::EventType::dataset_updated, {{"dataset_id", appended->record.id},
                                                     {"rows", appended->record.row_count},
                                                     {"rows_added", appended->added},
                                                     {"rows_replaced", appended->replaced},
                                                     {"end", body["dataset"]["period"]["end"]}});
  services.publish_activity("dataset", "updated", appended->record.id,
                            {{"added", appended->added}, {"replaced", appended->replaced}});
  return json_response(head_, http::status::ok, json_text(body));
}

void UploadSession::publish_progress() {
  WorkspaceServices* services = state_->workspaces();
  if (services == nullptr || services->channel == nullptr || !upload_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_progress_ < kProgressPeriod) return;
  last_progress_ = now;
  services->publish(ops::EventType::upload_progress,
                    {{"upload_id", upload_id_},
                     {"dataset_id", append_to_ ? nlohmann::json(append_to_->record.id) : nullptr},
                     {"bytes_received", received_},
                     {"bytes_total", content_length_ ? nlohmann::json(*content_length_) : nullptr},
                     {"rows_parsed", upload_->rows_parsed()},
                     {"rows_rejected", upload_->problem_count()}});
}

void UploadSession::publish_error(int status, const std::string& code, const std::string& message,
                                  std::size_t problem_count) {
  WorkspaceServices* services = state_->workspaces();
  if (services == nullptr) return;
  services->publish(ops::EventType::upload_error,
                    {{"upload_id", upload_id_},
                     {"dataset_id", append_to_ ? nlohmann::json(append_to_->record.id) : nullptr},
                     {"status", status},
                     {"error_code", code},
                     {"error", message},
                     {"problem_count", problem_count},
                     {"bytes_received", received_}});
}

void UploadSession::publish_refusal(const HttpResponse& response) {
  const nlohmann::json body = nlohmann::json::parse(response.body(), nullptr, false);
  std::string code = "REFUSED";
  std::string message;
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    code = body["error"].value("code", code);
    message = body["error"].value("message", "");
  }
  publish_error(static_cast<int>(response.result_int()), code, message,
                upload_ ? upload_->problem_count() : 0);
}

void UploadSession::refuse(HttpResponse response) {
  publish_refusal(response);
  send(std::move(response));
}

// Answers before (or instead of) reading the rest of the body: the client gets the answer, then
// what it still sends is read and dropped for a few seconds so that closing does not reset the
// connection under the answer.
void UploadSession::fail_early(HttpResponse response) {
  if (upload_id_.empty()) upload_id_ = parameters_.upload_id;
  publish_refusal(response);
  response.keep_alive(false);
  add_response_headers(response, cors_origin_);
  state_->metrics().observe_request(route_name_, "POST", response.result_int(),
                                    seconds_since(started_));
  response_ = std::make_shared<HttpResponse>(std::move(response));
  stream_.expires_after(kDrainTimeout);
  http::async_write(stream_, *response_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return;
                      beast::error_code ignored;
                      self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
                      self->drain();
                    });
}

void UploadSession::drain() {
  stream_.async_read_some(net::buffer(chunk_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return;  // end of stream, reset or the drain deadline
                            self->drain();
                          });
}

void UploadSession::send(HttpResponse response) {
  response.keep_alive(false);
  response.set("X-Upload-Id", upload_id_);
  add_response_headers(response, cors_origin_);
  state_->metrics().observe_request(route_name_, "POST", response.result_int(),
                                    seconds_since(started_));
  response_ = std::make_shared<HttpResponse>(std::move(response));
  stream_.expires_after(kReadTimeout);
  http::async_write(stream_, *response_,
                    [self = shared_from_this()](beast::error_code, std::size_t) {
                      beast::error_code ignored;
                      self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
                    });
}

}  // namespace evapo::server
