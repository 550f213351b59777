#pragma once

#include <vector>

#include <evapo/domain/date.hpp>

namespace evapo::sources {

/// An inclusive range of days.
struct DateRange {
  domain::Date start{};
  domain::Date end{};
};

/// Splits [start, end] into consecutive ranges of at most `max_days` days (>= 1); empty when
/// end < start.
std::vector<DateRange> split_date_range(domain::Date start, domain::Date end, int max_days);

}  // namespace evapo::sources
