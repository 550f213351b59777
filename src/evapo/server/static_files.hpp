#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include <evapo/server/http_types.hpp>

namespace evapo::server {

/// Serves the built web UI (web/dist) read-only: MIME type by extension; files under assets/
/// (content-hashed by the bundler) cached for a year as immutable, everything else no-cache;
/// never a file outside the root (no "..", no symlink escape); the single-page app's own routes
/// (/eto, /tasks/...) fall back to index.html.
class StaticFiles {
 public:
  /// `root` may be empty or missing: then nothing is served.
  explicit StaticFiles(const std::filesystem::path& root);

  /// The response for a GET/HEAD request, or nullopt when this is not a static file request
  /// (no root, or an API path) so the caller answers 404 itself.
  std::optional<HttpResponse> serve(const HttpRequest& request) const;

  /// MIME type for a file name by its extension ("application/octet-stream" when unknown).
  static std::string_view mime_type(std::string_view file_name);

 private:
  HttpResponse file_response(const HttpRequest& request, const std::filesystem::path& file,
                             std::string_view cache_control) const;

  std::filesystem::path root_;  // canonical, empty when disabled
};

}  // namespace evapo::server
