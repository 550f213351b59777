#include <exception>

#include <spdlog/spdlog.h>

#include <evapo/server/exception_barrier.hpp>
#include <evapo/server/http_error.hpp>

namespace evapo::server {

void log_unhandled(std::string_view what, const char* exception_text) noexcept {
  try {
    spdlog::error("unhandled exception in {}: {}", what, exception_text);
  } catch (...) {
    // Logging itself failed (out of memory): nothing more can be said.
  }
}

HttpResponse call_guarded(const Handler& handler, std::string_view route_name,
                          const HttpRequest& request, const PathParams& params) {
  try {
    return handler(request, params);
  } catch (const std::exception& error) {
    log_unhandled(route_name, error.what());
  } catch (...) {
    log_unhandled(route_name, "unknown exception");
  }
  return error_response(request, domain::Error::internal("internal error"));
}

void run_guarded(boost::asio::io_context& ioc) {
  while (true) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& error) {
      log_unhandled("a network completion handler", error.what());
    } catch (...) {
      log_unhandled("a network completion handler", "unknown exception");
    }
  }
}

}  // namespace evapo::server
