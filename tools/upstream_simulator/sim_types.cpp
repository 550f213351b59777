#include "sim_types.hpp"

#include <cstdlib>

namespace evapo::sim {

namespace {

std::string decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const std::string hex(text.substr(i + 1, 2));
      char* end = nullptr;
      const long value = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        out.push_back(static_cast<char>(value));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i] == '+' ? ' ' : text[i]);
  }
  return out;
}

}  // namespace

std::optional<double> Query::number(const std::string& key) const {
  const std::string* text = get(key);
  if (text == nullptr || text->empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (end != text->c_str() + text->size()) return std::nullopt;
  return value;
}

Query parse_target(std::string_view target) {
  Query query;
  const auto mark = target.find('?');
  query.path = decode(target.substr(0, mark));
  if (mark == std::string_view::npos) return query;
  std::string_view rest = target.substr(mark + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    query.params[decode(item.substr(0, eq))] =
        eq == std::string_view::npos ? "" : decode(item.substr(eq + 1));
  }
  return query;
}

SimResponse json_response(unsigned status, std::string body, std::string content_type) {
  SimResponse response;
  response.status = status;
  response.body = std::move(body);
  response.content_type = std::move(content_type);
  return response;
}

}  // namespace evapo::sim
