#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace evapo::domain {

/// A calendar day with no time zone attached: in evapo always a local day of the location.
using Date = std::chrono::year_month_day;

/// Parses "YYYY-MM-DD" strictly (zero-padded, a real calendar day); nullopt otherwise.
std::optional<Date> parse_iso_date(std::string_view text);

/// Formats as "YYYY-MM-DD".
std::string format_iso_date(Date date);

/// Day of the year, 1..366.
int day_of_year(Date date);

/// `date` plus `days` (may be negative).
Date add_days(Date date, int days);

/// Whole days from `from` to `to` (negative when `to` is earlier).
int days_between(Date from, Date to);

/// Formats a UTC time point as ISO-8601 with milliseconds and "Z": "2026-11-26T10:12:46.123Z".
std::string format_iso_utc_millis(std::chrono::system_clock::time_point time);

/// Inverse of format_iso_utc_millis ("2026-11-26T10:12:46.123Z"); nullopt for any other text.
std::optional<std::chrono::system_clock::time_point> parse_iso_utc_millis(std::string_view text);

}  // namespace evapo::domain
