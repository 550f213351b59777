#include <algorithm>

#include <evapo/sources/date_chunks.hpp>

namespace evapo::sources {

std::vector<DateRange> split_date_range(domain::Date start, domain::Date end, int max_days) {
  std::vector<DateRange> ranges;
  max_days = std::max(1, max_days);
  domain::Date chunk_start = start;
  while (domain::days_between(chunk_start, end) >= 0) {
    const int remaining = domain::days_between(chunk_start, end) + 1;
    const domain::Date chunk_end = domain::add_days(chunk_start, std::min(remaining, max_days) - 1);
    ranges.push_back({chunk_start, chunk_end});
    chunk_start = domain::add_days(chunk_end, 1);
  }
  return ranges;
}

}  // namespace evapo::sources
