#include <evapo/domain/error.hpp>

namespace evapo::domain {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::upstream:
      return "upstream";
    case ErrorCode::cancelled:
      return "cancelled";
    case ErrorCode::resource_exhausted:
      return "resource_exhausted";
    case ErrorCode::internal:
      return "internal";
    case ErrorCode::worker_lost:
      return "worker_lost";
  }
  return "internal";
}

}  // namespace evapo::domain
