// Fuzzes the one decoder of a calculation request (the POST body, the stored copy of a task): no
// crash; an accepted request has every value in its physical range; request_to_json of it reads
// back equal (parse -> serialise -> parse is stable).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include <evapo/domain/date.hpp>
#include <evapo/pipeline/request_json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = nlohmann::json::parse(data, data + size, nullptr, false);
  if (body.is_discarded()) return 0;
  const auto request = evapo::pipeline::parse_calculation_request(body);
  if (!request) {
    if (request.error().details.empty()) std::abort();  // every refusal names its field
    return 0;
  }
  const auto& r = *request;
  if (!(r.latitude_deg >= -90.0 && r.latitude_deg <= 90.0)) std::abort();
  if (!(r.longitude_deg >= -180.0 && r.longitude_deg <= 180.0)) std::abort();
  if (r.elevation_m && !(*r.elevation_m >= -500.0 && *r.elevation_m <= 9000.0)) std::abort();
  if (evapo::domain::days_between(r.start_date, r.end_date) < 0) std::abort();
  if (std::set(r.sources.begin(), r.sources.end()).size() != r.sources.size()) std::abort();

  const auto stored = evapo::pipeline::request_to_json(r);
  const auto text = stored.dump();
  const auto again = evapo::pipeline::parse_calculation_request(nlohmann::json::parse(text));
  if (!again) std::abort();
  if (again->latitude_deg != r.latitude_deg || again->longitude_deg != r.longitude_deg ||
      again->start_date != r.start_date || again->end_date != r.end_date || again->mode != r.mode ||
      again->sources != r.sources || again->elevation_m != r.elevation_m) {
    std::abort();
  }
  if (evapo::pipeline::request_to_json(*again).dump() != text) std::abort();
  return 0;
}
