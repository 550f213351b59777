#include <cmath>

#include <fmt/format.h>

#include <evapo/io/number.hpp>
#include <evapo/server/upload_parameters.hpp>

namespace evapo::server {

namespace {

constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMinUploadIdBytes = 8;
constexpr std::size_t kMaxUploadIdBytes = 64;

struct SiteParameter {
  std::string_view name;
  double io::SiteDefaults::*member;
  double min;
  double max;
};

// The ranges of `evapo eto`'s flags.
constexpr SiteParameter kSiteParameters[] = {
    {"latitude_deg", &io::SiteDefaults::latitude_deg, -90.0, 90.0},
    {"longitude_deg", &io::SiteDefaults::longitude_deg, -180.0, 180.0},
    {"elevation_m", &io::SiteDefaults::elevation_m, -500.0, 9000.0},
    {"wind_height_m", &io::SiteDefaults::wind_height_m, 0.5, 100.0},
    {"tz_offset_h", &io::SiteDefaults::tz_offset_h, -12.0, 14.0},
};

std::optional<bool> parse_flag(const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

bool is_upload_id(std::string_view text) {
  if (text.size() < kMinUploadIdBytes || text.size() > kMaxUploadIdBytes) return false;
  for (const char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool is_upload_parameter(std::string_view name) {
  for (const auto& site : kSiteParameters) {
    if (site.name == name) return true;
  }
  return name == "name" || name == "file_name" || name == "skip_invalid" || name == "replace" ||
         name == "upload_id";
}

domain::Expected<UploadParameters> parse_upload_parameters(
    const std::map<std::string, std::string>& values) {
  UploadParameters parameters;
  std::vector<domain::ErrorDetail> problems;
  const auto value_of = [&](std::string_view name) -> std::string {
    const auto found = values.find(std::string(name));
    return found == values.end() ? std::string() : found->second;
  };
  for (const auto& site : kSiteParameters) {
    const std::string text = value_of(site.name);
    if (text.empty()) continue;
    const auto parsed = io::parse_number(text);
    if (parsed.kind != io::ParsedNumber::Kind::value || parsed.value < site.min ||
        parsed.value > site.max) {
      problems.push_back(
          {std::string(site.name),
           fmt::format("'{}' is not a number between {} and {}", text, site.min, site.max)});
      continue;
    }
    parameters.site.*site.member = parsed.value;
  }
  parameters.name = value_of("name");
  if (parameters.name.size() > kMaxNameBytes) {
    problems.push_back({"name", fmt::format("at most {} bytes", kMaxNameBytes)});
  }
  parameters.file_name = value_of("file_name");
  if (parameters.file_name.size() > kMaxNameBytes) {
    problems.push_back({"file_name", fmt::format("at most {} bytes", kMaxNameBytes)});
  }
  for (const char* flag : {"skip_invalid", "replace"}) {
    const std::string text = value_of(flag);
    if (text.empty()) continue;
    const auto parsed = parse_flag(text);
    if (!parsed) {
      problems.push_back({flag, "must be true or false"});
    } else if (std::string_view(flag) == "skip_invalid") {
      parameters.invalid_rows = *parsed ? io::InvalidRows::skip : io::InvalidRows::fail;
    } else {
      parameters.replace = *parsed ? OverlapReplace::yes : OverlapReplace::no;
    }
  }
  parameters.upload_id = value_of("upload_id");
  if (!parameters.upload_id.empty() && !is_upload_id(parameters.upload_id)) {
    problems.push_back({"upload_id", "8 to 64 letters, digits, '-' or '_'"});
  }
  if (!problems.empty()) {
    return domain::fail(
        domain::Error::invalid_argument("invalid upload parameters", std::move(problems)));
  }
  return parameters;
}

}  // namespace evapo::server
