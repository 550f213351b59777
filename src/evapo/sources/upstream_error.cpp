#include <evapo/sources/upstream_error.hpp>

namespace evapo::sources {

domain::Error error_for_status(std::string_view tag, long status, std::string_view reason) {
  std::string message = std::string(tag) + ": HTTP " + std::to_string(status);
  if (!reason.empty()) message += ": " + std::string(reason);
  if (status == 429) return domain::Error::unavailable(message + " (rate limited)");
  if (status >= 500) return domain::Error::unavailable(message);
  if (status == 404) return domain::Error::not_found(message);
  return domain::Error::upstream(message);
}

std::string body_excerpt(std::string_view body) {
  std::string text(body.substr(0, 200));
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (body.size() > 200) text += "...";
  return text;
}

}  // namespace evapo::sources
