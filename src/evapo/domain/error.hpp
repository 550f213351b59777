#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace evapo::domain {

/// The few canonical error codes every I/O layer speaks (STYLE.md, "Errors").
enum class ErrorCode {
  invalid_argument,    // the caller's input is wrong; never retried
  not_found,           // the thing asked for does not exist
  unavailable,         // a dependency is down or refused; may succeed later
  timeout,             // a deadline passed
  upstream,            // an upstream answered, but with something unusable
  cancelled,           // the caller asked to stop
  resource_exhausted,  // storage ran out (a full disk); may succeed once space is freed
  internal,            // a bug or an invariant broken on our side
  worker_lost,         // the workers running a task kept dying (poison task): not retried again
};

/// Stable snake_case name of a code, as used in logs and JSON ("invalid_argument").
std::string_view to_string(ErrorCode code);

/// One field-level problem, for validation errors ({"field","reason"}).
struct ErrorDetail {
  std::string field;
  std::string reason;
};

/// An error value: a code, a human message, and optional field details.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<ErrorDetail> details;

  static Error invalid_argument(std::string message, std::vector<ErrorDetail> details = {}) {
    return {ErrorCode::invalid_argument, std::move(message), std::move(details)};
  }
  static Error not_found(std::string message) {
    return {ErrorCode::not_found, std::move(message), {}};
  }
  static Error unavailable(std::string message) {
    return {ErrorCode::unavailable, std::move(message), {}};
  }
  static Error timeout(std::string message) { return {ErrorCode::timeout, std::move(message), {}}; }
  static Error upstream(std::string message) {
    return {ErrorCode::upstream, std::move(message), {}};
  }
  static Error cancelled(std::string message) {
    return {ErrorCode::cancelled, std::move(message), {}};
  }
  static Error resource_exhausted(std::string message) {
    return {ErrorCode::resource_exhausted, std::move(message), {}};
  }
  static Error internal(std::string message) {
    return {ErrorCode::internal, std::move(message), {}};
  }
  static Error worker_lost(std::string message) {
    return {ErrorCode::worker_lost, std::move(message), {}};
  }
};

/// What every fallible I/O function returns: tl::expected<T, Error>, marked [[nodiscard]] so that
/// dropping one (and with it an error) is a compiler warning, an error under -Werror. It converts
/// from the tl::expected that and_then/map/or_else return, so chains still return an Expected.
/// A callback passed to and_then must return a tl::expected (tl checks the exact type): return
/// `Expected<U>::Base` there, not Expected<U>.
template <class T>
class [[nodiscard]] Expected : public tl::expected<T, Error> {
 public:
  using Base = tl::expected<T, Error>;
  using Base::Base;
  Expected() = default;
  // Implicit on purpose: the results of and_then/map convert to Expected.
  Expected(Base base) : Base(std::move(base)) {}
};

/// Shorthand for returning an error from a function that returns Expected<T>.
inline tl::unexpected<Error> fail(Error error) {
  return tl::unexpected<Error>(std::move(error));
}

}  // namespace evapo::domain
