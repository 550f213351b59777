#include <algorithm>
#include <cmath>
#include <string>

#include <evapo/pipeline/calculation.hpp>

namespace evapo::pipeline {

using domain::Date;
using domain::ErrorDetail;
using domain::format_iso_date;

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::historical:
      return "historical";
    case Mode::recent:
      return "recent";
    case Mode::forecast:
      return "forecast";
  }
  return "historical";
}

std::optional<Mode> parse_mode(std::string_view text) {
  if (text == "historical") return Mode::historical;
  if (text == "recent") return Mode::recent;
  if (text == "forecast") return Mode::forecast;
  return std::nullopt;
}

const char* to_string(Quality quality) {
  switch (quality) {
    case Quality::high:
      return "high";
    case Quality::medium:
      return "medium";
    case Quality::low:
      return "low";
  }
  return "low";
}

CalculationRequest request_for_mode(double latitude_deg, double longitude_deg, Mode mode, int days,
                                    Date today) {
  CalculationRequest request;
  request.latitude_deg = latitude_deg;
  request.longitude_deg = longitude_deg;
  request.mode = mode;
  switch (mode) {
    case Mode::recent:
      request.start_date = domain::add_days(today, -(days - 1));
      request.end_date = today;
      break;
    case Mode::forecast:
      request.start_date = today;
      request.end_date = domain::add_days(today, kForecastDays);
      break;
    case Mode::historical:
      request.start_date = domain::add_days(today, -1);
      request.end_date = request.start_date;
      break;
  }
  return request;
}

std::vector<ErrorDetail> validate(const CalculationRequest& request, Date today,
                                  const RequestLimits& limits) {
  std::vector<ErrorDetail> details;
  auto problem = [&](const char* field, std::string reason) {
    details.push_back({field, std::move(reason)});
  };
  if (!std::isfinite(request.latitude_deg) || request.latitude_deg < -90.0 ||
      request.latitude_deg > 90.0) {
    problem("latitude", "must be between -90 and 90 degrees");
  }
  if (!std::isfinite(request.longitude_deg) || request.longitude_deg < -180.0 ||
      request.longitude_deg > 180.0) {
    problem("longitude", "must be between -180 and 180 degrees");
  }
  if (request.elevation_m && (!std::isfinite(*request.elevation_m) ||
                              *request.elevation_m < -500.0 || *request.elevation_m > 9000.0)) {
    problem("elevation_m", "must be between -500 and 9000 m");
  }
  const Date start = request.start_date;
  const Date end = request.end_date;
  if (!start.ok()) problem("start_date", "is not a valid date");
  if (!end.ok()) problem("end_date", "is not a valid date");
  if (!start.ok() || !end.ok()) return details;
  if (end < start) {
    problem("end_date", "is before start_date");
    return details;
  }
  const int span_days = domain::days_between(start, end) + 1;
  const Date yesterday = domain::add_days(today, -1);
  switch (request.mode) {
    case Mode::historical:
      if (start < limits.earliest_date) {
        problem("start_date", "must be on or after " + format_iso_date(limits.earliest_date));
      }
      if (end > yesterday) {
        problem("end_date", "must be on or before yesterday (" + format_iso_date(yesterday) +
                                ", local date at the point); use mode recent or forecast");
      }
      if (span_days > limits.max_historical_days) {
        problem("end_date", "the period is " + std::to_string(span_days) + " days; at most " +
                                std::to_string(limits.max_historical_days) + " days per request");
      }
      break;
    case Mode::recent: {
      // One day of slack: the client may have computed its dates in its own zone.
      if (std::abs(domain::days_between(end, today)) > 1) {
        problem("end_date", "a recent period ends today (" + format_iso_date(today) + ")");
      }
      const bool allowed =
          std::ranges::find(kRecentWindowDays, span_days) != std::end(kRecentWindowDays);
      if (!allowed) {
        problem("start_date",
                "a recent period is 7, 14, 21 or 30 days long, not " + std::to_string(span_days));
      }
      break;
    }
    case Mode::forecast:
      if (std::abs(domain::days_between(start, today)) > 1) {
        problem("start_date", "a forecast starts today (" + format_iso_date(today) + ")");
      }
      if (domain::days_between(today, end) > kForecastDays + 1) {
        problem("end_date", "a forecast ends at most " + std::to_string(kForecastDays) +
                                " days after today (" +
                                format_iso_date(domain::add_days(today, kForecastDays)) + ")");
      }
      break;
  }
  return details;
}

std::vector<ErrorDetail> validate(const CalculationRequest& request) {
  return validate(request, local_today(request.latitude_deg, request.longitude_deg));
}

}  // namespace evapo::pipeline
