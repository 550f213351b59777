#include <string>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <evapo/domain/read_file.hpp>
#include <evapo/server/http_error.hpp>
#include <evapo/server/router.hpp>
#include <evapo/server/static_files.hpp>
#include <evapo/server/static_path.hpp>

namespace evapo::server {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 64ULL * 1024 * 1024;

bool starts_with_segment(std::string_view path, std::string_view prefix) {
  return path == prefix ||
         (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/');
}

}  // namespace

StaticFiles::StaticFiles(const fs::path& root) {
  std::error_code ec;
  if (!root.empty() && fs::is_directory(root, ec)) root_ = fs::canonical(root, ec);
  if (ec) root_.clear();
}

std::string_view StaticFiles::mime_type(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : file_name.substr(dot + 1);
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "ttf") return "font/ttf";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "wasm") return "application/wasm";
  if (ext == "webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

HttpResponse StaticFiles::file_response(const HttpRequest& request, const fs::path& file,
                                        std::string_view cache_control) const {
  auto content = domain::read_file(file.string());
  // Removed or unreadable between the lookup and the read: as absent as it is now.
  if (!content) {
    return error_response(request, http::status::not_found, "NOT_FOUND", "no such file");
  }
  HttpResponse response{http::status::ok, request.version()};
  response.set(http::field::content_type, mime_type(file.filename().string()));
  response.set(http::field::cache_control, cache_control);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(*content);
  response.prepare_payload();
  if (request.method() == http::verb::head) response.body().clear();
  return response;
}

std::optional<HttpResponse> StaticFiles::serve(const HttpRequest& request) const {
  if (root_.empty()) return std::nullopt;
  if (request.method() != http::verb::get && request.method() != http::verb::head)
    return std::nullopt;
  const std::string_view path = target_path(request.target());
  for (std::string_view api_prefix :
       {"/api", "/internal", "/ws", "/metrics", "/healthz", "/readyz"}) {
    if (starts_with_segment(path, api_prefix)) return std::nullopt;
  }
  constexpr std::string_view kNoCache = "no-cache";
  constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
  const fs::path index = root_ / "index.html";

  const auto resolved = resolve_static_path(root_, path);
  if (!resolved) {
    return error_response(request, http::status::not_found, "NOT_FOUND", "no such file");
  }
  std::error_code ec;
  if (fs::is_regular_file(*resolved, ec) && fs::file_size(*resolved, ec) <= kMaxFileBytes) {
    const bool hashed_asset = starts_with_segment(path, "/assets");
    return file_response(request, *resolved, hashed_asset ? kImmutable : kNoCache);
  }
  if (fs::is_directory(*resolved, ec) && fs::is_regular_file(*resolved / "index.html", ec)) {
    return file_response(request, *resolved / "index.html", kNoCache);
  }
  // A missing file with an extension is a real 404; an extensionless path is a client-side route.
  const std::string last = fs::path(std::string(path)).filename().string();
  if (last.find('.') == std::string::npos && fs::is_regular_file(index, ec)) {
    return file_response(request, index, kNoCache);
  }
  return error_response(request, http::status::not_found, "NOT_FOUND", "no such file");
}

}  // namespace evapo::server
