#pragma once

#include <exception>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include <evapo/server/router.hpp>

namespace evapo::server {

// Where exceptions stop: no exception thrown by a handler or an asynchronous completion may end
// the process. Each one becomes one error log line (and, for a request, a 500 answer).

/// Calls `handler`; an exception it throws becomes a 500 INTERNAL_ERROR response whose body
/// names no internals (the log line has the route and the exception's text).
HttpResponse call_guarded(const Handler& handler, std::string_view route_name,
                          const HttpRequest& request, const PathParams& params);

/// Runs `ioc` until it is stopped or runs out of work. An exception escaping a completion
/// handler is logged and the loop goes on with the next handler.
void run_guarded(boost::asio::io_context& ioc);

/// Logs one unhandled exception (never throws).
void log_unhandled(std::string_view what, const char* exception_text) noexcept;

/// Calls `action` (a callback running on another layer's thread, such as an event delivery); an
/// exception is logged with `what` and swallowed.
template <class Action>
void guarded(std::string_view what, Action&& action) noexcept {
  try {
    action();
  } catch (const std::exception& error) {
    log_unhandled(what, error.what());
  } catch (...) {
    log_unhandled(what, "unknown exception");
  }
}

}  // namespace evapo::server
